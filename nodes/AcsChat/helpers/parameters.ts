import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { invalidParameterError } from './invalidParameter';

const API_VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

export interface CheckedParameter {
	name: string;
	displayName: string;
	/** Why a value can't be sent, as a clause following the display name; undefined when it can. */
	describeProblem: (value: unknown) => string | undefined;
	/** Resource locators hold `{ mode, value }`; this reads the value. */
	isLocator?: boolean;
}

/**
 * A text value of one item, trimmed of the whitespace pasting leaves behind and checked before any request,
 * so a bad value fails that item with the parameter's name and the item index and never reaches the service.
 */
function checked(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: CheckedParameter,
	raw: unknown,
): string {
	const value = typeof raw === 'string' ? raw.trim() : raw;
	const problem = parameter.describeProblem(value);
	if (problem !== undefined) {
		throw invalidParameterError(context.getNode(), itemIndex, parameter, problem);
	}
	return value as string;
}

export function getCheckedString(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: CheckedParameter,
): string {
	const raw = parameter.isLocator
		? context.getNodeParameter(parameter.name, itemIndex, '', { extractValue: true })
		: context.getNodeParameter(parameter.name, itemIndex, '');
	return checked(context, itemIndex, parameter, raw);
}

const apiVersionParameter: CheckedParameter = {
	name: 'apiVersion',
	displayName: 'API Version',
	describeProblem: (value) =>
		typeof value === 'string' && API_VERSION_PATTERN.test(value)
			? undefined
			: 'must look like 2025-03-15 or 2024-06-05-preview',
};

/** The API version from the operation's Options, falling back to the version the operation was built for. */
export function getApiVersion(
	context: IExecuteFunctions,
	itemIndex: number,
	defaultApiVersion: string,
): string {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return checked(context, itemIndex, apiVersionParameter, options.apiVersion ?? defaultApiVersion);
}

/** A whole number from the operation's Options, checked like any other input before a request is sent. */
export function getWholeNumberOption(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: { name: string; displayName: string; default: number; min: number; max: number },
): number {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const value = options[parameter.name] ?? parameter.default;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < parameter.min || value > parameter.max) {
		throw invalidParameterError(
			context.getNode(),
			itemIndex,
			parameter,
			`must be a whole number from ${parameter.min} to ${parameter.max}`,
		);
	}
	return value;
}
