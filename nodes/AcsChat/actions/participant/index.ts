import { defineResource } from '../resource';
import * as remove from './remove.operation';

export const participant = defineResource('Participant', 'participant', [remove]);
