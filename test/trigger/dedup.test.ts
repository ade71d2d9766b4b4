import { claimNewIds, DEDUP_LIMITS, storedIdCount } from '../../nodes/AcsChatTrigger/dedup';

const HOUR = 60 * 60 * 1000;
let key = 0;
const trigger = () => `dedup-test-${++key}`;

describe('the event id store', () => {
	it('keeps ids for 24 hours and at most 20,000 per trigger', () => {
		expect(DEDUP_LIMITS).toEqual({ maxIds: 20_000, ttlMs: 24 * HOUR });
	});

	it('lets an id through once, and again only after its time to live', () => {
		const t = trigger();
		const limits = { maxIds: 10, ttlMs: HOUR };
		expect([...claimNewIds(t, ['a'], 0, limits)]).toEqual(['a']);
		expect([...claimNewIds(t, ['a'], HOUR - 1, limits)]).toEqual([]);
		expect([...claimNewIds(t, ['a'], HOUR, limits)]).toEqual(['a']);
	});

	it('holds at most maxIds: the oldest go first', () => {
		const t = trigger();
		const limits = { maxIds: 3, ttlMs: HOUR };
		claimNewIds(t, ['a', 'b', 'c'], 0, limits);
		claimNewIds(t, ['d'], 1, limits);
		expect(storedIdCount(t)).toBe(3);
		expect([...claimNewIds(t, ['a', 'b', 'c', 'd'], 2, limits)]).toEqual(['a']);
		expect(storedIdCount(t)).toBe(3);
	});

	it('the real bound holds under a flood of distinct ids', () => {
		const t = trigger();
		const ids = Array.from({ length: DEDUP_LIMITS.maxIds + 500 }, (_, i) => `id-${i}`);
		expect(claimNewIds(t, ids, 0).size).toBe(ids.length);
		expect(storedIdCount(t)).toBe(DEDUP_LIMITS.maxIds);
		// The newest are still known, the 500 oldest are not.
		expect(claimNewIds(t, [ids[ids.length - 1]], 1).size).toBe(0);
		expect(claimNewIds(t, ['id-0'], 1).size).toBe(1);
	});

	it('a trigger whose ids all expired holds nothing', () => {
		const t = trigger();
		claimNewIds(t, ['a', 'b'], 0, { maxIds: 10, ttlMs: HOUR });
		claimNewIds(t, [], 2 * HOUR, { maxIds: 10, ttlMs: HOUR });
		expect(storedIdCount(t)).toBe(0);
	});

	it('triggers do not share ids', () => {
		const one = trigger();
		const two = trigger();
		claimNewIds(one, ['a'], 0);
		expect(claimNewIds(two, ['a'], 0).size).toBe(1);
	});
});
