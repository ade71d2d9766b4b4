import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * What a workflow branches on: the `details` of an error item and `context.acsError` of a thrown error.
 * `code` is the ACS error code, or the HTTP status name when the answer carried none, or the network
 * error code when there was no answer at all, or `InvalidParameter` for input rejected before sending.
 */
export interface AcsErrorDetails extends IDataObject {
	httpCode: number | null;
	code: string;
	message: string;
}

/** Input rejected before any request: same branchable shape as an API error, with the parameter named. */
export function invalidParameterError(
	node: INode,
	itemIndex: number,
	parameter: { name: string; displayName: string },
	problem: string,
	description?: string,
): NodeOperationError {
	const message = `${parameter.displayName} in item ${itemIndex} ${problem}`;
	const error = new NodeOperationError(node, message, { itemIndex, description });
	error.context.acsError = {
		httpCode: null,
		code: 'InvalidParameter',
		message,
		parameter: parameter.name,
	} satisfies AcsErrorDetails;
	return error;
}
