import { bucketKey, LIMITS } from '../../nodes/AcsChat/transport/limits';

describe('throttle buckets', () => {
	it('counts thread reads and creates per user, whatever the thread', () => {
		expect(bucketKey('me', 'threadRead', '19:a@thread.v2')).toBe(bucketKey('me', 'threadRead', '19:b@thread.v2'));
		expect(bucketKey('me', 'threadCreateDelete', '19:a@thread.v2')).toBe(bucketKey('me', 'threadCreateDelete', undefined));
	});

	it('counts participant changes and messages per thread, so a 429 on one thread never slows another', () => {
		for (const limit of ['participantWrite', 'messageWrite', 'typing'] as const) {
			expect(bucketKey('me', limit, '19:a@thread.v2')).not.toBe(bucketKey('me', limit, '19:b@thread.v2'));
		}
	});

	it('keeps every class, and every identity, in a bucket of its own', () => {
		const keys = (Object.keys(LIMITS) as Array<keyof typeof LIMITS>).map((limit) => bucketKey('me', limit, '19:a@thread.v2'));
		expect(new Set(keys).size).toBe(keys.length);
		expect(bucketKey('me', 'threadRead', undefined)).not.toBe(bucketKey('you', 'threadRead', undefined));
	});
});
