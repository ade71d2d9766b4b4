/**
 * What the trigger remembers about the Event Grid subscription it created, in the workflow's static data for
 * this node: its name, the resource it is on, the delivery URL it was made for and the secret it sends. n8n saves
 * static data written by the webhook methods once activation ends (and keeps it with a test webhook's
 * registration), so webhook() reads the secret from there; webhook() itself never writes it, since n8n 2.41 drops
 * what webhook() writes whenever it starts an execution.
 */
import type { IDataObject } from 'n8n-workflow';

export interface SubscriptionRecord {
	subscriptionName: string;
	resourceId: string;
	endpointUrl: string;
	secret: string;
}

const FIELDS = ['subscriptionName', 'resourceId', 'endpointUrl', 'secret'] as const;

export function readRecord(staticData: IDataObject): SubscriptionRecord | undefined {
	const values = FIELDS.map((field) => staticData[field]);
	if (!values.every((value) => typeof value === 'string' && value !== '')) return undefined;
	const [subscriptionName, resourceId, endpointUrl, secret] = values as string[];
	return { subscriptionName, resourceId, endpointUrl, secret };
}

export function writeRecord(staticData: IDataObject, record: SubscriptionRecord): void {
	for (const field of FIELDS) staticData[field] = record[field];
}

export function clearRecord(staticData: IDataObject): void {
	for (const field of FIELDS) delete staticData[field];
}
