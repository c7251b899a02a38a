// The gRPC front's limits, with units: Apache's proxy defaults (`ProxyConfig`) for what a client may send,
// and the settings it is told over Telemetry (docs/grpc.md §4). Depends on nothing.

/** `userPropertyMaxNum`: more user properties → MESSAGE_PROPERTIES_TOO_LARGE. */
export const GRPC_USER_PROPERTY_MAX_COUNT = 128;
/** `maxUserPropertySize`: keys, values, tag and keys together, UTF-8. */
export const GRPC_USER_PROPERTY_MAX_BYTES = 16 * 1024;
/** `maxMessageGroupSize`: a message group of this many UTF-8 bytes or more is refused. */
export const GRPC_MESSAGE_GROUP_MAX_BYTES = 64;
/** `maxDelayTimeMills`: a delivery time further ahead is refused (ILLEGAL_DELIVERY_TIME). */
export const GRPC_MAX_DELAY_MS = 24 * 60 * 60 * 1000;
/** `maxTransactionRecoverySecond`. */
export const GRPC_MAX_TRANSACTION_RECOVERY_SECONDS = 60 * 60;
/**
 * The largest request grpc-js accepts (its default is 4 MiB, so a 5 MiB body would never reach the body
 * check): bounded like a Remoting frame, so a too-large body is answered MESSAGE_BODY_TOO_LARGE.
 */
export const GRPC_MAX_RECEIVE_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Producer backoff told in Settings (`grpcClientProducerMaxAttempts`, `…BackoffInitialMillis`, …). */
export const GRPC_PRODUCER_MAX_ATTEMPTS = 3;
export const GRPC_PRODUCER_BACKOFF_INITIAL_MS = 10;
export const GRPC_PRODUCER_BACKOFF_MAX_MS = 1000;
export const GRPC_PRODUCER_BACKOFF_MULTIPLIER = 2;

/** Consumer settings (`grpcClientConsumerLongPollingBatchSize`, `…MaxLongPollingTimeoutMillis`). */
export const GRPC_CONSUMER_RECEIVE_BATCH_SIZE = 32;
export const GRPC_CONSUMER_LONG_POLLING_TIMEOUT_MS = 20_000;
/** Java `CustomizedRetryPolicy`'s default `next`: the delay before each redelivery. */
export const GRPC_CUSTOMIZED_BACKOFF_MS: readonly number[] = [
  1_000, 5_000, 10_000, 30_000, 60_000, 120_000, 180_000, 240_000, 300_000, 360_000, 420_000, 480_000, 540_000, 600_000,
  1_200_000, 1_800_000, 3_600_000, 7_200_000,
];
/** Java `ExponentialRetryPolicy`'s defaults. */
export const GRPC_EXPONENTIAL_BACKOFF = { initialMs: 1_000, maxMs: 7_200_000, multiplier: 2 } as const;

/** Java `ProxyConfig`: a ReceiveMessage's invisible duration is at least 10 s and at most 12 h. */
export const GRPC_MIN_INVISIBLE_MS_FOR_RECEIVE = 10_000;
export const GRPC_MAX_INVISIBLE_MS = 12 * 60 * 60 * 1000;
/** Java `ProxyConfig.defaultInvisibleTimeMills`: the invisible time of an auto-renewed (push) ReceiveMessage. */
export const GRPC_DEFAULT_INVISIBLE_MS = 60_000;
/** Java `ProxyConfig`: a ReceiveMessage's long polling time is clamped to 5 s … 20 s. */
export const GRPC_MIN_LONG_POLLING_MS = 5_000;
export const GRPC_MAX_LONG_POLLING_MS = 20_000;
/** Java `ReceiveMessageResponseStreamWriter.NACK_INVISIBLE_TIME`: a message not written comes back after 1 s. */
export const GRPC_NACK_INVISIBLE_MS = 1_000;

/** Auto renewal of push consumers' handles (Apache's proxy `renewSchedulePeriodMillis`, `renewAheadTimeMillis`, …). */
export const GRPC_RENEW_PERIOD_MS = 5_000;
export const GRPC_RENEW_AHEAD_MS = 10_000;
export const GRPC_RENEW_MAX_MS = 3 * 60 * 60 * 1000;
export const GRPC_RENEW_MAX_RETRIES = 3;
/** `RenewStrategyPolicy`: the invisible time given at each renewal (1m 3m 5m 10m 30m 1h, then 1h). */
export const GRPC_RENEW_DELAYS_MS: readonly number[] = [60_000, 180_000, 300_000, 600_000, 1_800_000, 3_600_000];
