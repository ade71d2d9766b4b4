/**
 * Event Grid delivers at least once and retries an unanswered delivery for up to 24 hours, so the same event id
 * can arrive again; this store lets each id start one execution.
 *
 * State: module level, in this n8n process, one store per trigger (workflow, node and execution mode: a test
 * subscription and the production one receive the same event ids), each holding the ids that started an
 * execution, oldest first, for at most TTL and at most MAX_IDS of them; older ids are dropped first, and a store
 * that empties is removed. It is not static data, because n8n 2.41 drops static data written inside webhook()
 * whenever that call starts an execution. So it is shared by every delivery this process receives, starts empty
 * after a restart, and is not shared between processes: with several main or webhook processes, a redelivery
 * that lands on another process than the first delivery starts a second execution.
 *
 * Bounds: Event Grid's retries (10 s, 30 s, 1 min, 5 min, …, hourly) end after 24 h, the subscription's event
 * time to live, so an id is kept that long; 20,000 ids are a few megabytes per trigger and hold a day of events
 * for a trigger receiving up to about one event every 4 seconds. A busier trigger keeps the last 20,000 ids,
 * which still cover the early retries where nearly every duplicate arrives.
 */
export const DEDUP_LIMITS = { maxIds: 20_000, ttlMs: 24 * 60 * 60 * 1000 };

export type DedupLimits = typeof DEDUP_LIMITS;

/** Event id → when it started an execution, in insertion order (oldest first). */
const stores = new Map<string, Map<string, number>>();

function expire(seen: Map<string, number>, now: number, ttlMs: number): void {
	for (const [id, at] of seen) {
		if (now - at < ttlMs) break;
		seen.delete(id);
	}
}

/**
 * The ids of `ids` that have not started an execution of this trigger yet, each once, recorded as started.
 * Synchronous, so two deliveries of one id that arrive together cannot both pass.
 */
export function claimNewIds(
	trigger: string,
	ids: readonly string[],
	now = Date.now(),
	limits: DedupLimits = DEDUP_LIMITS,
): Set<string> {
	const seen = stores.get(trigger) ?? new Map<string, number>();
	expire(seen, now, limits.ttlMs);
	const fresh = new Set<string>();
	for (const id of ids) {
		if (seen.has(id) || fresh.has(id)) continue;
		fresh.add(id);
		seen.set(id, now);
	}
	for (const oldest of seen.keys()) {
		if (seen.size <= limits.maxIds) break;
		seen.delete(oldest);
	}
	if (seen.size > 0) stores.set(trigger, seen);
	else stores.delete(trigger);
	return fresh;
}

/** How many ids a trigger's store holds (for tests and diagnostics). */
export function storedIdCount(trigger: string): number {
	return stores.get(trigger)?.size ?? 0;
}
