// The broker's limits and fixed intervals in one place, each with its unit in its name and the
// RocketMQ setting or Java constant it mirrors. Values that broker.conf can set live in
// server/broker-config.ts; these are the ones it cannot. Depends on nothing.

/** Longest a held pull waits (Java caps `suspendTimeoutMillis` at the broker's long-polling limit). */
export const PULL_HOLD_MAX_SUSPEND_TIMEOUT_MS = 30_000;
/** Held pulls at once; past it the oldest is answered early (bounded long polling). */
export const PULL_HOLD_MAX_HELD_REQUESTS = 10_000;
/** How often held pulls are checked against the store (Java `PullRequestHoldService`: 5 s). */
export const PULL_HOLD_RECHECK_INTERVAL_MS = 5_000;
/** How often silent clients are looked for (Java `ClientHousekeepingService`: every 10 s). */
export const CLIENT_SCAN_INTERVAL_MS = 10_000;
/** How long a reply pushed to its requester may wait for the requester's answer (Java `Broker2Client#callClient`). */
export const REPLY_PUSH_TIMEOUT_MS = 10_000;
/**
 * Messages waiting in the append batcher for the end of the event-loop turn. Past it a send is refused
 * with SYSTEM_BUSY instead of growing the queue (Java answers a full send thread pool the same way).
 */
export const APPEND_BATCHER_MAX_PENDING_MESSAGES = 65_536;
