import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS } from '../descriptions/options';
import { listThreadsRequest, MAX_THREAD_PAGE_SIZE } from '../actions/thread/getAll.operation';
import { THREAD_API_VERSION } from '../actions/thread/fields';
import type { ItemCall } from '../transport';
import { acsRequest } from '../transport';

/**
 * Someone is waiting at an open list: a throttled read is tried again a couple of times, not for minutes. With
 * no run there is no item; errors name item 0.
 */
const EDITOR_CALL: ItemCall = { itemIndex: 0, settings: { timeoutMs: DEFAULT_TIMEOUT_MS, maxRetries: 2 } };

function threadItem(thread: IDataObject): INodeListSearchItems {
	const id = String(thread.id);
	const topic = typeof thread.topic === 'string' && thread.topic.trim() !== '' ? thread.topic : `(no topic) ${id}`;
	return { name: topic, value: id };
}

function matches(item: INodeListSearchItems, filter: string | undefined): boolean {
	if (filter === undefined || filter.trim() === '') return true;
	const wanted = filter.trim();
	return item.name.toLowerCase().includes(wanted.toLowerCase()) || item.value === wanted;
}

/**
 * The acting user's threads for the Thread field's list, one ACS page per call in ACS's order (newest first), those
 * whose topic holds the typed text (any case) or whose ID it is; the page's nextLink is the token for the next
 * call. ACS has no topic search, so a page may show few or none of its threads while later pages hold more.
 * Deleted threads, which ACS still lists, cannot be picked.
 */
export async function searchThreads(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const request = listThreadsRequest(THREAD_API_VERSION, { maxPageSize: MAX_THREAD_PAGE_SIZE });
	const page = await acsRequest.call(
		this,
		EDITOR_CALL,
		paginationToken === undefined || paginationToken === '' ? request : { ...request, nextLink: paginationToken },
	);
	const threads = (Array.isArray(page?.value) ? page.value : []) as IDataObject[];
	const results = threads
		.filter((thread) => typeof thread.id === 'string' && !thread.deletedOn)
		.map(threadItem)
		.filter((item) => matches(item, filter));
	const nextLink = page?.nextLink;
	return { results, paginationToken: typeof nextLink === 'string' && nextLink !== '' ? nextLink : undefined };
}
