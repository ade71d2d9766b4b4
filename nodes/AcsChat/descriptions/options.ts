import type { INodeProperties } from 'n8n-workflow';

/** The Options collection every operation has; each passes the ACS API version it was built against. */
export function operationOptions(defaultApiVersion: string): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'API Version',
				name: 'apiVersion',
				type: 'string',
				default: defaultApiVersion,
				placeholder: defaultApiVersion,
				description:
					'The ACS Chat REST API version to call, e.g. 2025-03-15. Change it only to reach a newer or preview version.',
			},
		],
	};
}
