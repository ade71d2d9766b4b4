/**
 * The ACS Chat rate limits a request counts against (service limits, per 10 s): each is throttled on its own, so a
 * 429 for one never slows another. `perThread` limits are counted per thread; the others per acting user, which
 * the credential already fixes.
 */
export const LIMITS = {
	/** get thread, list threads: 50 per user */
	threadRead: { perThread: false },
	/** create thread, delete thread: 10 per user */
	threadCreateDelete: { perThread: false },
	/** update thread: 5 per thread */
	threadUpdate: { perThread: true },
	/** add or remove participants: 10 per thread */
	participantWrite: { perThread: true },
	/** list participants: 10 per user per thread */
	participantRead: { perThread: true },
	/** get message, list messages: 50 per user per thread */
	messageRead: { perThread: true },
	/** send, update, delete message: 10 per thread */
	messageWrite: { perThread: true },
	/** send read receipt: 10 per user per thread */
	readReceiptWrite: { perThread: true },
	/** list read receipts: 5 per user per thread */
	readReceiptRead: { perThread: true },
	/** typing notification: 5 per user per thread */
	typing: { perThread: true },
	/** Identity API (users and tokens): limited per resource, far above chat's limits */
	identity: { perThread: false },
} as const;

export type LimitClass = keyof typeof LIMITS;

/** The throttle bucket of a request: whose limit (the credential's identity), which class, which thread. */
export function bucketKey(identity: string, limit: LimitClass, threadId: string | undefined): string {
	return [identity, limit, LIMITS[limit].perThread ? (threadId ?? '') : ''].join('|');
}
