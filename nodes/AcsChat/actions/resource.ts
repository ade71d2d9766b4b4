import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { ItemCall } from '../transport';

/** What every `<op>.operation.ts` exports: its entry in the Operation list, its fields, and how it runs. */
export interface OperationModule {
	option: INodePropertyOptions & { value: string; action: string };
	description: INodeProperties[];
	execute(this: IExecuteFunctions, call: ItemCall): Promise<IDataObject>;
}

export interface Resource {
	option: { name: string; value: string };
	operations: Record<string, OperationModule>;
	/** The Operation selector of this resource, then every operation's fields. */
	properties: INodeProperties[];
}

/**
 * A resource from its operation modules: the Operation list the editor shows and the table the router runs are
 * both derived from the same modules, so an operation cannot be offered without being runnable or the reverse.
 */
export function defineResource(name: string, value: string, modules: OperationModule[]): Resource {
	const operations = Object.fromEntries(modules.map((module) => [module.option.value, module]));
	const first = modules[0].option.value;
	const selector: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [value] } },
		options: modules.map((module) => module.option),
		default: first,
	};
	return {
		option: { name, value },
		operations,
		properties: [selector, ...modules.flatMap((module) => module.description)],
	};
}
