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

/** Broker statistics, Java `FREQUENCY_OF_SAMPLING`: one store snapshot a second. */
export const SAMPLE_INTERVAL_MS = 1000;
/** Java `MAX_RECORDS_OF_SAMPLING` + 1: enough store snapshots for the 600 s TPS. */
export const MAX_STORE_SNAPSHOTS = 601;
/** Java `StatsItem#samplingInSeconds`: keyed series sampled every 10 s, 7 kept (a one-minute window). */
export const KEYED_SAMPLE_INTERVAL_MS = 10_000;
export const MAX_KEYED_SNAPSHOTS = 7;
/** Topics and topic@group pairs whose statistics are followed (each holds 7 snapshots). */
export const MAX_KEYED_SERIES = 10_000;
/** Java `printTPSInterval`: latency distributions are per minute; the last whole minute is reported. */
export const DISTRIBUTION_PERIOD_MS = 60_000;

/** RocketMQ's `rebalance.lockMaxLiveTime`: an orderly queue lock not renewed for this long expires. */
export const REBALANCE_LOCK_MAX_LIVE_TIME_MS = 60_000;

/** RocketMQ's `channelExpiredTimeout`: a client silent this long is dropped. */
export const CHANNEL_EXPIRED_TIMEOUT_MS = 120_000;

/** Delay-level records read per pass of one level. */
export const SCHEDULE_READ_BATCH_MESSAGES = 32;
/** Timer-queue records read into the pending set per pass. */
export const TIMER_SCAN_BATCH_MESSAGES = 256;
/** Due timer messages re-stored per append. */
export const TIMER_DELIVER_BATCH_MESSAGES = 256;
/** Longest sleep of an idle delay level or timer: bounds the lag of a missed wake-up or a clock jump. */
export const PARKED_MAX_IDLE_MS = 1000;
/** Back-off after a failed read or append (Java `DELAY_FOR_A_PERIOD` is 10 s; we retry sooner). */
export const PARKED_RETRY_AFTER_FAILURE_MS = 1000;

/** Java `Broker2Client#callClient`: how long a client has to answer a request the broker relays to it. */
export const CALL_CLIENT_TIMEOUT_MS = 10_000;

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

/**
 * END_TRANSACTIONs of one event-loop turn settled per store read and append: bounds the read's buffer
 * (that many halves) when a turn brings more (the rest go in further batches of the same turn).
 */
export const TRANSACTION_END_BATCH_MAX_COUNT = 4_096;
/** Half or op records read per store call by the transactional check (Java reads op records 32 at a time). */
export const TRANSACTION_CHECK_READ_BATCH = 32;
/**
 * Half messages one check pass looks at; the next pass goes on from there. Java bounds a pass by time
 * (60 s per queue); a count keeps the pass short on the one JS thread.
 */
export const TRANSACTION_CHECK_MAX_HALVES_PER_PASS = 4_096;
/**
 * Halves read at most per scrape to count the unresolved ones per topic (`rocketmq_half_messages`): past
 * it (a check far behind) the gauge counts the oldest this many halves only (docs/metrics.md §2).
 */
export const TRANSACTION_HALF_COUNT_MAX_HALVES = 16_384;
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

/**
 * Pop checkpoints in flight (pops whose messages are not all acked or revived): past it a pop finds
 * nothing until acks or revives bring the count down (Java bounds its buffer by `popCkMaxBufferSize`).
 */
export const POP_MAX_INFLIGHT_CHECKPOINTS = 200_000;
/** Pop checkpoints re-stored per revive pass (the rest wait for the next pass, `reviveInterval` later). */
export const POP_REVIVE_BATCH_CHECKPOINTS = 1024;
/** Revive-log records read per store call when the in-flight pops are rebuilt at start. */
export const POP_RECOVERY_READ_BATCH_RECORDS = 256;
