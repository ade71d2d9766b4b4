import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../descriptions/options';
import { getWholeNumberOption } from '../helpers/parameters';
import { errorItem } from '../transport/errors';
import { runPool } from './pool';
import { requestSettings } from './requestSettings';
import type { OperationModule } from './resource';
import { resources } from './resources';

function operationFor(context: IExecuteFunctions, itemIndex: number): OperationModule {
	const resource = context.getNodeParameter('resource', itemIndex) as string;
	const operation = context.getNodeParameter('operation', itemIndex) as string;
	const module = resources.find((candidate) => candidate.option.value === resource)?.operations[operation];
	if (!module) {
		throw new NodeOperationError(
			context.getNode(),
			`The operation "${operation}" of resource "${resource}" is not supported`,
			{ itemIndex },
		);
	}
	return module;
}

async function runItem(context: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	try {
		const operation = operationFor(context, itemIndex);
		const json = await operation.execute.call(context, { itemIndex, settings: requestSettings(context, itemIndex) });
		return { json, pairedItem: { item: itemIndex } };
	} catch (error) {
		const nodeError =
			error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(context.getNode(), error as Error, { itemIndex });
		if (context.continueOnFail()) return errorItem(nodeError, itemIndex);
		throw nodeError;
	}
}

/**
 * One output item per input item, in input order, each paired with its input; failures per item. Items run
 * `concurrency` at a time (read from the first item: it sizes the run, not an item). Without continue on fail
 * the first failure starts no further item, lets the ones in flight finish, and stops the node with the error
 * of the lowest failing item.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const concurrency = getWholeNumberOption(this, 0, {
		name: 'concurrency',
		displayName: 'Concurrency',
		default: DEFAULT_CONCURRENCY,
		min: 1,
		max: MAX_CONCURRENCY,
	});
	const signal = this.getExecutionCancelSignal?.();
	const output = await runPool(items.length, async (itemIndex) => await runItem(this, itemIndex), {
		concurrency,
		mayStart: () => !signal?.aborted,
	});
	if (signal?.aborted) {
		throw new NodeOperationError(this.getNode(), 'The execution was cancelled before every item was sent');
	}
	return [output];
}
