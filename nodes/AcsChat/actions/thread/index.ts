import { defineResource } from '../resource';
import * as get from './get.operation';

export const thread = defineResource('Thread', 'thread', [get]);
