import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getMetadata, metadataOption, operationOptions } from '../../descriptions/options';
import { threadLocator } from '../../descriptions/threadLocator';
import { invalidParameterError } from '../../helpers/invalidParameter';
import type { CheckedParameter } from '../../helpers/parameters';
import { getApiVersion, getCheckedString } from '../../helpers/parameters';
import { threadIdParameter } from '../../helpers/threadId';
import type { ItemCall } from '../../transport';
import { acsPath, acsRequest } from '../../transport';
import { describeTopicProblem, getRetentionPolicy, retentionPolicyOption, THREAD_API_VERSION, topicParameter } from './fields';

const properties: INodeProperties[] = [
	threadLocator,
	{
		displayName: 'Topic',
		name: 'topic',
		type: 'string',
		default: '',
		placeholder: 'e.g. Support request 4711 (solved)',
		description: 'The new subject of the thread; leave empty to keep the current one',
	},
	operationOptions(THREAD_API_VERSION, [
		{ ...metadataOption, description: `${metadataOption.description}; keys not given keep their values` },
		retentionPolicyOption,
	]),
];

export const option = {
	name: 'Update',
	value: 'update',
	description: "Change a chat thread's topic, metadata or retention policy",
	action: "Update a chat thread's topic, metadata or retention policy by its ID (19:…@thread.v2)",
};

export const description = updateDisplayOptions(
	{ show: { resource: ['thread'], operation: ['update'] } },
	properties,
);

/** An empty Topic keeps the thread's topic. */
const newTopicParameter: CheckedParameter = {
	...topicParameter,
	describeProblem: (value) => (value === '' ? undefined : describeTopicProblem(value)),
};

/**
 * PATCH /chat/threads/{chatThreadId} with UpdateChatThreadRequest as a JSON merge patch: only what is given
 * changes, and metadata keys are merged into the thread's. 204, no body.
 */
export async function execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject> {
	const { itemIndex } = call;
	const threadId = getCheckedString(this, itemIndex, threadIdParameter);
	const topic = getCheckedString(this, itemIndex, newTopicParameter);
	const metadata = getMetadata(this, itemIndex);
	const retentionPolicy = getRetentionPolicy(this, itemIndex);
	const apiVersion = getApiVersion(this, itemIndex, THREAD_API_VERSION);
	const changes: IDataObject = {};
	if (topic !== '') changes.topic = topic;
	if (metadata !== undefined) changes.metadata = metadata;
	if (retentionPolicy !== undefined) changes.retentionPolicy = retentionPolicy;
	if (Object.keys(changes).length === 0) {
		throw invalidParameterError(
			this.getNode(),
			itemIndex,
			topicParameter,
			'is empty and no Metadata or Retention Policy is set: give at least one of them to change',
		);
	}
	await acsRequest.call(this, call, {
		method: 'PATCH',
		path: acsPath`/chat/threads/${threadId}`,
		apiVersion,
		body: changes,
		headers: { 'Content-Type': 'application/merge-patch+json' },
		// The same patch again leaves the thread as the first one did.
		resend: 'safe',
		limit: 'threadUpdate',
		threadId,
	});
	return { updated: true, threadId, ...changes };
}
