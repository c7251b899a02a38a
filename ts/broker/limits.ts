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
/**
 * Longest SQL92 filter expression compiled, in UTF-16 chars (Java has no bound; a longer one is refused
 * with SUBSCRIPTION_PARSE_FAILED instead of costing parse time and memory per subscription).
 */
export const SQL92_MAX_EXPRESSION_LENGTH_CHARS = 8_192;
/** Deepest nesting (parentheses, NOT, signs) of an SQL92 filter: the parser recurses per level. */
export const SQL92_MAX_NESTING_DEPTH = 100;
/** Compiled SQL92 filters kept, shared by every group with the same expression (Java caches 100 parses). */
export const SQL92_MAX_COMPILED_FILTERS = 256;
/** Per compiled filter: recent results by physical offset, so groups sharing it evaluate a message once. */
export const SQL92_MAX_REMEMBERED_RESULTS = 1_024;
