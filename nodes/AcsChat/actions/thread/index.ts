import { defineResource } from '../resource';
import * as create from './create.operation';
import * as deleteThread from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as sendTypingNotification from './sendTypingNotification.operation';
import * as update from './update.operation';

export const thread = defineResource(
	'Thread',
	'thread',
	[create, deleteThread, get, getAll, sendTypingNotification, update],
	'get',
);
