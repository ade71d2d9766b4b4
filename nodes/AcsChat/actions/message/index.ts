import { defineResource } from '../resource';
import * as deleteMessage from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getReadReceipts from './getReadReceipts.operation';
import * as markAsRead from './markAsRead.operation';
import * as send from './send.operation';
import * as update from './update.operation';

export const message = defineResource(
	'Message',
	'message',
	[deleteMessage, get, getAll, getReadReceipts, markAsRead, send, update],
	'send',
);
