// The property names RocketMQ reserves for itself (Java `MessageConst.STRING_HASH_SET`): a client may not
// set them as user properties, and a gRPC message shows only the other properties as user properties.
// Also the names RocketMQ 5's gRPC path adds (born host, born timestamp, trace context). Depends on nothing.

/** Java `MessageConst.PROPERTY_BORN_HOST`: the producer's address as the gRPC client reported it. */
export const BORN_HOST_PROPERTY = '__BORNHOST';
/** Java `MessageConst.PROPERTY_BORN_TIMESTAMP`. */
export const BORN_TIMESTAMP_PROPERTY = 'BORN_TIMESTAMP';
/** Java `MessageConst.PROPERTY_TRACE_CONTEXT`. */
export const TRACE_CONTEXT_PROPERTY = 'TRACE_CONTEXT';

export const SYSTEM_PROPERTY_NAMES: ReadonlySet<string> = new Set([
  'TRACE_ON',
  'MSG_REGION',
  'KEYS',
  'TAGS',
  'WAIT',
  'DELAY',
  'RETRY_TOPIC',
  'REAL_TOPIC',
  'REAL_QID',
  'TRAN_MSG',
  'PGROUP',
  'MIN_OFFSET',
  'MAX_OFFSET',
  'BUYER_ID',
  'ORIGIN_MESSAGE_ID',
  'TRANSFER_FLAG',
  'CORRECTION_FLAG',
  'MQ2_FLAG',
  'RECONSUME_TIME',
  'UNIQ_KEY',
  'MAX_RECONSUME_TIMES',
  'CONSUME_START_TIME',
  'POP_CK',
  'POP_CK_OFFSET',
  '1ST_POP_TIME',
  'TRAN_PREPARED_QUEUE_OFFSET',
  'DUP_INFO',
  'EXTEND_UNIQ_INFO',
  'INSTANCE_ID',
  'CORRELATION_ID',
  'REPLY_TO_CLIENT',
  'TTL',
  'ARRIVE_TIME',
  'PUSH_REPLY_TIME',
  'CLUSTER',
  'MSG_TYPE',
  'INNER_MULTI_QUEUE_OFFSET',
  'TIMER_DELAY_MS',
  'TIMER_DELAY_SEC',
  'TIMER_DELIVER_MS',
  'TIMER_ENQUEUE_MS',
  'TIMER_DEQUEUE_MS',
  'TIMER_ROLL_TIMES',
  'TIMER_OUT_MS',
  'TIMER_DEL_UNIQKEY',
  'TIMER_DELAY_LEVEL',
  BORN_HOST_PROPERTY,
  BORN_TIMESTAMP_PROPERTY,
  'DLQ_ORIGIN_TOPIC',
  'DLQ_ORIGIN_MESSAGE_ID',
  '__CRC32#',
]);
