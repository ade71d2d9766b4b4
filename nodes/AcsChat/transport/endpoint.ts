const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Loopback hosts may use plain http: the offline emulator runs there. Takes URL's normalised hostname. */
export function isLoopback(hostname: string): boolean {
	return LOOPBACK_HOSTS.test(hostname);
}

const EXAMPLE = 'https://my-resource.communication.azure.com';

/**
 * The one reading of an ACS endpoint, for the Endpoint field and the connection string's `endpoint=` alike:
 * the origin every request path is appended to. A trailing slash is fine (the portal shows one); a path, user
 * info, a query or a fragment is refused, as the SDK refuses them: dropping a path silently would let a
 * mangled value (a key pasted into the endpoint) turn into a host that requests are sent to, and plain http to a
 * remote host would expose the token. Returns the problem as a clause instead of throwing, so the caller can name its field,
 * and never repeats the input, which may be a whole connection string.
 */
export function parseEndpoint(value: unknown): { endpoint: string } | { problem: string } {
	if (typeof value !== 'string' || value.trim() === '') {
		return { problem: 'is empty: copy the Endpoint from the Keys page of your Communication Services resource' };
	}
	const raw = value.trim();
	// Require '//' explicitly: WHATWG URL would otherwise read 'https:host' as a host.
	if (!/^https?:\/\//i.test(raw)) return { problem: `must start with https://, e.g. ${EXAMPLE}` };
	if (!URL.canParse(raw)) return { problem: `is not a URL: expected something like ${EXAMPLE}` };
	const url = new URL(raw);
	if (url.pathname !== '/' || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
		return { problem: 'must be only scheme, host and port (no path, user info, query or fragment), e.g. ' + EXAMPLE };
	}
	if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
		// A bearer token sent over plain http to another host could be read on the way.
		return { problem: 'must use https:// (plain http is accepted only for localhost, 127.0.0.0/8 and [::1])' };
	}
	return { endpoint: url.origin };
}
