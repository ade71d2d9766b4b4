/**
 * Get Many over ACS's pageable lists (`{ value, nextLink }`). Pages are fetched one after another through
 * `acsRequest`, so each page is paced, retried and mapped like any request; `nextLink` is followed as ACS sent
 * it, and only to the endpoint's own origin. With a limit, no page is fetched once enough elements are in hand,
 * and every page asks for no more elements than are still needed (`maxPageSize`, rewritten in the next link
 * too), so a Limit of 5 reads 5 elements, not a page of 200. A filter (`keep`) applies as pages arrive, so a Limit
 * counts the elements kept.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { AcsRequest, ItemCall } from './index';
import { acsRequest } from './index';
import { toNodeApiError } from './errors';

export interface ListRequest extends AcsRequest {
	/** The largest page ACS serves for this list (200 for messages). */
	maxPageSize: number;
	/** Which elements the caller wants at all; a Limit counts only those. */
	keep?: (element: IDataObject) => boolean;
}

/** How many elements the caller wants; undefined for all of them. */
export type Wanted = number | undefined;

function pageSize(request: ListRequest, wanted: Wanted, got: number): number {
	return wanted === undefined ? request.maxPageSize : Math.min(request.maxPageSize, wanted - got);
}

function withPageSize(nextLink: string, size: number): string {
	const url = new URL(nextLink, 'http://relative.invalid');
	if (!url.searchParams.has('maxPageSize')) return nextLink;
	if (Number(url.searchParams.get('maxPageSize')) <= size) return nextLink;
	url.searchParams.set('maxPageSize', String(size));
	return URL.canParse(nextLink) ? url.href : `${url.pathname}${url.search}`;
}

/** Every element of the list, or the first `wanted`, in the order ACS returns them. */
export async function acsList(
	this: IExecuteFunctions,
	call: ItemCall,
	request: ListRequest,
	wanted: Wanted,
): Promise<IDataObject[]> {
	const elements: IDataObject[] = [];
	let next: AcsRequest = { ...request, qs: { ...request.qs, maxPageSize: pageSize(request, wanted, 0) } };
	for (;;) {
		const body = await acsRequest.call(this, call, next);
		if (!Array.isArray(body?.value)) {
			throw toNodeApiError(
				this.getNode(),
				{ response: { status: 200, statusText: 'OK', data: body ?? '' } },
				{ itemIndex: call.itemIndex, secrets: [] },
			);
		}
		const page = body.value as IDataObject[];
		elements.push(...(request.keep ? page.filter(request.keep) : page));
		if (wanted !== undefined && elements.length >= wanted) return elements.slice(0, wanted);
		const nextLink = body.nextLink;
		if (typeof nextLink !== 'string' || nextLink === '') return elements;
		next = { ...request, nextLink: withPageSize(nextLink, pageSize(request, wanted, elements.length)) };
	}
}
