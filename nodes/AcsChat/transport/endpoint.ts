const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Loopback hosts may use plain http: the offline emulator runs there. Takes URL's normalised hostname. */
export function isLoopback(hostname: string): boolean {
	return LOOPBACK_HOSTS.test(hostname);
}

/**
 * Turns what a user pasted as the resource endpoint into the origin every path is appended to.
 * Returns the problem as text instead of throwing so the caller can name the credential field and item.
 */
export function normalizeEndpoint(value: unknown): { endpoint: string } | { problem: string } {
	if (typeof value !== 'string' || value.trim() === '') {
		return { problem: 'is empty: copy the Endpoint from the Keys page of your Communication Services resource' };
	}
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		return { problem: 'is not a URL: expected something like https://my-resource.communication.azure.com' };
	}
	if (url.protocol === 'https:') return { endpoint: url.origin };
	if (url.protocol === 'http:') {
		if (isLoopback(url.hostname)) return { endpoint: url.origin };
		// A bearer token sent over plain http to another host could be read on the way.
		return {
			problem: `must use https:// (plain http is accepted only for localhost), got http://${url.host}`,
		};
	}
	return { problem: `must start with https://, got ${url.protocol}//` };
}
