import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import type { ItemCall } from '../transport';

interface OperationBase {
	option: INodePropertyOptions & { value: string; action: string };
	description: INodeProperties[];
}

/**
 * An operation run item by item: one result object becomes one output item; a list (Get Many) becomes one output
 * item per element, every one paired with the item that asked (an empty list gives none).
 */
export interface ItemOperation extends OperationBase {
	execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject | IDataObject[]>;
}

/** What a batched operation made of one item: its output, or the error that item ends with. */
export type BatchResult = IDataObject | NodeApiError | NodeOperationError;

/**
 * An operation whose items are sent together (Add Participant: one request per thread for many items). `prepare`
 * reads and checks one item's input and throws what is wrong with it; the router prepares every item before
 * anything is sent, so bad input stops the node (or becomes that item's error) with no request made. Then
 * `executeBatch` gets the prepared items in input order and returns one result per item, in the same order;
 * `run` runs its requests with the node's concurrency and starts no more once the execution is cancelled. It
 * never throws for one item's failure: that item's result is the error.
 */
export interface BatchOperation<Input = unknown> extends OperationBase {
	prepare(this: IExecuteFunctions, call: ItemCall): Input;
	executeBatch(
		this: IExecuteFunctions,
		items: Array<{ call: ItemCall; input: Input }>,
		run: <T>(count: number, task: (index: number) => Promise<T>) => Promise<T[]>,
	): Promise<BatchResult[]>;
}

/** What every `<op>.operation.ts` exports: its entry in the Operation list, its fields, and how it runs. */
export type OperationModule = ItemOperation | BatchOperation;

export interface Resource {
	option: { name: string; value: string };
	operations: Record<string, OperationModule>;
	/** The Operation selector of this resource, then every operation's fields. */
	properties: INodeProperties[];
}

/**
 * A resource from its operation modules: the Operation list the editor shows and the table the router runs are
 * both derived from the same modules, so an operation cannot be offered without being runnable or the reverse.
 * The list is sorted by name, as n8n's linter and editor expect; `first` is the default.
 */
export function defineResource(
	name: string,
	value: string,
	modules: OperationModule[],
	first = modules[0].option.value,
): Resource {
	const operations = Object.fromEntries(modules.map((module) => [module.option.value, module]));
	const selector: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [value] } },
		options: modules
			.map((module) => module.option)
			.sort((a, b) => a.name.localeCompare(b.name)),
		default: first,
	};
	return {
		option: { name, value },
		operations,
		properties: [selector, ...modules.flatMap((module) => module.description)],
	};
}
