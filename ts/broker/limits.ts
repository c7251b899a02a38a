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
/**
 * Messages waiting in the append batcher for the end of the event-loop turn. Past it a send is refused
 * with SYSTEM_BUSY instead of growing the queue (Java answers a full send thread pool the same way).
 */
export const APPEND_BATCHER_MAX_PENDING_MESSAGES = 65_536;
/** Half or op records read per store call by the transactional check (Java reads op records 32 at a time). */
export const TRANSACTION_CHECK_READ_BATCH = 32;
/**
 * Half messages one check pass looks at; the next pass goes on from there. Java bounds a pass by time
 * (60 s per queue); a count keeps the pass short on the one JS thread.
 */
export const TRANSACTION_CHECK_MAX_HALVES_PER_PASS = 4_096;
/**
 * The latest resolved half offsets and transaction ids remembered (also behind the check's progress):
 * what a repeated END_TRANSACTION is refused by. Past it the oldest are forgotten; a restart reads
 * back this many op records before the op progress.
 */
export const TRANSACTION_RESOLVED_OFFSETS_MAX = 65_536;
/**
 * Half offsets ahead of the check's progress whose resolution it keeps (one bit each, 2 MiB at most):
 * about (transactionCheckInterval + transactionTimeOut) × transactions per second are needed.
 */
export const TRANSACTION_RESOLVED_WINDOW_MAX_OFFSETS = 16 * 1024 * 1024;
