import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { errorItem } from '../transport/errors';
import type { AcsChatType } from './node.type';
import * as participant from './participant';
import * as thread from './thread';

type Operation = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject>;

const operations: {
	[R in AcsChatType['resource']]: Record<Extract<AcsChatType, { resource: R }>['operation'], Operation>;
} = {
	thread: { get: thread.get.execute },
	participant: { remove: participant.remove.execute },
};

function operationFor(context: IExecuteFunctions, itemIndex: number): Operation {
	const resource = context.getNodeParameter('resource', itemIndex) as string;
	const operation = context.getNodeParameter('operation', itemIndex) as string;
	const run = (operations as Record<string, Record<string, Operation> | undefined>)[resource]?.[operation];
	if (!run) {
		throw new NodeOperationError(
			context.getNode(),
			`The operation "${operation}" of resource "${resource}" is not supported`,
			{ itemIndex },
		);
	}
	return run;
}

async function runItem(context: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	try {
		const json = await operationFor(context, itemIndex).call(context, itemIndex);
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

/** One output item per input item, in input order, each paired with its input; failures per item. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		output.push(await runItem(this, itemIndex));
	}
	return [output];
}
