// The dashboard's bounds and intervals, each with its unit: live-update period, WebSocket clients,
// request and search sizes, history kept for the charts. Depends on nothing.

/** How often the live snapshot is taken and pushed to every open page. */
export const LIVE_INTERVAL_MS = 1000;
/** Samples kept for the charts (TPS and lag over time): 5 minutes at one a second. */
export const HISTORY_SAMPLES = 300;
/** Open WebSocket connections at once; past it a new one is closed with 1013 (try again later). */
export const MAX_WS_CLIENTS = 2000;
/** The largest WebSocket frame a page may send (pages send nothing; a bigger frame closes the socket). */
export const MAX_WS_FRAME_BYTES = 4096;
/** A client that has not read this much pushed data is skipped until it catches up. */
export const MAX_WS_BUFFERED_BYTES = 1024 * 1024;
/** The largest JSON request body (create topic, reset offset); past it 413. */
export const MAX_REQUEST_BODY_BYTES = 64 * 1024;
/** The longest URL (search keys travel in the query string); past it 414. */
export const MAX_URL_BYTES = 16 * 1024;
/** The longest search key or msgId; longer ones are answered 400 without a lookup. */
export const MAX_SEARCH_KEY_CHARS = 512;
/** Messages one search returns. */
export const MAX_MESSAGES_PER_SEARCH = 64;
/** Queue positions read per queue by a search by topic and time. */
export const MAX_MESSAGES_PER_QUEUE_BY_TIME = 16;
/** Queues (topic queues and group lag rows) in one live snapshot. */
export const MAX_LIVE_TOPICS = 1000;
