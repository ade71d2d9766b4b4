import { defineResource } from '../resource';
import * as create from './create.operation';
import * as get from './get.operation';

export const thread = defineResource(
	'Thread',
	'thread',
	[create, get],
	'get',
);
