import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../descriptions/options';
import { getWholeNumberOption } from '../helpers/parameters';
import type { ItemCall } from '../transport';
import { errorItem } from '../transport/errors';
import { runPool } from './pool';
import { requestSettings } from './requestSettings';
import type { BatchOperation, BatchResult, ItemOperation, OperationModule } from './resource';
import { resources } from './resources';

type NodeError = NodeApiError | NodeOperationError;

/** Resource and operation take no expressions, so the first item's are every item's. */
function operationOf(context: IExecuteFunctions): OperationModule {
	const resource = context.getNodeParameter('resource', 0) as string;
	const operation = context.getNodeParameter('operation', 0) as string;
	const module = resources.find((candidate) => candidate.option.value === resource)?.operations[operation];
	if (!module) {
		throw new NodeOperationError(
			context.getNode(),
			`The operation "${operation}" of resource "${resource}" is not supported`,
			{ itemIndex: 0 },
		);
	}
	return module;
}

function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
	return error instanceof NodeApiError || error instanceof NodeOperationError
		? error
		: new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

function outputOf(json: IDataObject | IDataObject[], itemIndex: number): INodeExecutionData[] {
	return (Array.isArray(json) ? json : [json]).map((element) => ({ json: element, pairedItem: { item: itemIndex } }));
}

function callOf(context: IExecuteFunctions, itemIndex: number): ItemCall {
	return { itemIndex, settings: requestSettings(context, itemIndex) };
}

type Run = <T>(count: number, task: (index: number) => Promise<T>) => Promise<T[]>;

async function runItems(context: IExecuteFunctions, operation: ItemOperation, count: number, run: Run) {
	return await run(count, async (itemIndex) => {
		try {
			return outputOf(await operation.execute.call(context, callOf(context, itemIndex)), itemIndex);
		} catch (error) {
			const nodeError = asNodeError(context, error, itemIndex);
			if (context.continueOnFail()) return [errorItem(nodeError, itemIndex)];
			throw nodeError;
		}
	});
}

async function runBatch(context: IExecuteFunctions, operation: BatchOperation, count: number, run: Run) {
	const results = new Array<BatchResult>(count);
	const prepared: Array<{ call: ItemCall; input: unknown }> = [];
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			const call = callOf(context, itemIndex);
			prepared.push({ call, input: operation.prepare.call(context, call) });
		} catch (error) {
			// Bad input stops the node before anything is sent, unless failures are items.
			if (!context.continueOnFail()) throw asNodeError(context, error, itemIndex);
			results[itemIndex] = asNodeError(context, error, itemIndex);
		}
	}
	const sent = prepared.length > 0 ? await operation.executeBatch.call(context, prepared, run) : [];
	prepared.forEach(({ call }, index) => (results[call.itemIndex] = sent[index]));
	return Array.from(results, (result, itemIndex) => {
		// A group the cancelled execution never sent has no result.
		if (result === undefined) return [];
		if (!(result instanceof NodeApiError || result instanceof NodeOperationError)) return outputOf(result, itemIndex);
		if (context.continueOnFail()) return [errorItem(result, itemIndex)];
		throw result;
	});
}

/**
 * Output items in input order, each paired with its input (several for a list), failures per item. Items run
 * `concurrency` at a time (read from the first item: it sizes the run, not an item). Without continue on fail
 * the first failure starts no further request, lets the ones in flight finish, and stops the node with the
 * error of the lowest failing item.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const operation = operationOf(this);
	const concurrency = getWholeNumberOption(this, 0, {
		name: 'concurrency',
		displayName: 'Concurrency',
		default: DEFAULT_CONCURRENCY,
		min: 1,
		max: MAX_CONCURRENCY,
	});
	const signal = this.getExecutionCancelSignal?.();
	const run: Run = async (count, task) =>
		await runPool(count, task, { concurrency, mayStart: () => !signal?.aborted });
	const output =
		'executeBatch' in operation
			? await runBatch(this, operation, items.length, run)
			: await runItems(this, operation, items.length, run);
	if (signal?.aborted) {
		throw new NodeOperationError(this.getNode(), 'The execution was cancelled before every item was sent');
	}
	return [output.flat()];
}
