// The package's public surface: the client SDK (Producer, PushConsumer, PullConsumer, Admin), the
// embedded all-in-one (startAllInOne), the store facade and its interface, the record codecs, typed
// errors, and the shared message codecs. Depends on ts/client, ts/server, ts/store and ts/common.

// Client SDK (ts/client)
export { Admin } from './client/admin/admin.js';
export type { AdminOptions, ClusterInfo, CreateTopicOptions } from './client/admin/admin.js';
export type { ConsumeStats, QueueConsumeStats } from './client/admin/consume-stats.js';
export { ClientError, ClientErrorCode, errorCodeName, isClientError } from './client/client-error.js';
export type { ClientOptions } from './client/client-options.js';
export { allocateMessageQueueAveragely } from './client/consumer/allocate-strategy.js';
export type { AllocateMessageQueueStrategy } from './client/consumer/allocate-strategy.js';
export { ConsumeResult } from './client/consumer/consume-result.js';
export type { MessageListener } from './client/consumer/consume-result.js';
export { MessageSelector } from './client/consumer/filter-expression.js';
export type { SubscriptionExpression } from './client/consumer/filter-expression.js';
export { PullConsumer } from './client/consumer/pull-consumer.js';
export type { PullConsumerOptions, PullOptions } from './client/consumer/pull-consumer.js';
export type { PullResult, PullStatus } from './client/consumer/pull-request.js';
export { PushConsumer } from './client/consumer/push-consumer.js';
export type { ProcessQueueInfo } from './client/consumer/push-consumer.js';
export type { PushConsumerOptions } from './client/consumer/push-consumer-options.js';
export { SimpleConsumer } from './client/consumer/simple-consumer.js';
export type { PoppedMessage, SimpleConsumerOptions } from './client/consumer/simple-consumer.js';
export type { ConsumeFromWhere, MessageModel } from './client/heartbeat-data.js';
export type { MessageQueue } from './client/message-queue.js';
export type { Message } from './client/message/message.js';
export type { MessageView } from './client/message/message-view.js';
export { Producer } from './client/producer/producer.js';
export type { ProducerOptions, SendOptions } from './client/producer/producer.js';
export { createReplyMessage } from './client/producer/reply-message.js';
export type { ReplyMessage } from './client/producer/reply-message.js';
export type { ReplyView } from './client/producer/request-reply.js';
export { selectMessageQueueByHash } from './client/producer/queue-selector.js';
export type { MessageQueueSelector } from './client/producer/queue-selector.js';
export type { SendReceipt, SendStatus } from './client/producer/send-request.js';
export { TransactionProducer } from './client/producer/transaction-producer.js';
export type {
  LocalTransaction,
  TransactionChecker,
  TransactionProducerOptions,
  TransactionResolution,
  TransactionSendResult,
} from './client/producer/transaction-producer.js';
export type { TopicRouteData } from './protocol/route-types.js';
export { ResponseCode } from './remoting/codes.js';

// The all-in-one, embedded (ts/server)
export { startAllInOne } from './server/embedded.js';
export type { RunningAllInOne, StartAllInOneOptions } from './server/embedded.js';
export type { BrokerConfig } from './broker/server/broker-config.js';

// Store and shared codecs

export {
  encodeMessageProperties,
  KEY_SEPARATOR,
  MessageProperty,
  NAME_VALUE_SEPARATOR,
  parseMessageProperties,
  PROPERTY_SEPARATOR,
} from './protocol/message-properties.js';
export type { MessagePropertiesInput, MessagePropertyName } from './protocol/message-properties.js';
export { formatSocketAddress, parseSocketAddress, socketAddress } from './common/socket-address.js';
export type { SocketAddress } from './common/socket-address.js';
export { javaStringHashCode, tagsCode } from './protocol/tag-code.js';
export { MessageMagicCode } from './protocol/commit-log-record.js';
export { MessageSysFlag } from './protocol/message-sys-flag.js';
export { GetMessageStatus } from './store/message-store-api.js';
export type {
  AppendResult,
  GetMessagesOptions,
  GetMessagesResult,
  MessageStore,
  StoreMessage,
} from './store/message-store-api.js';
export { NativeMessageStore } from './store/native-message-store.js';
export { DEFAULT_GET_MESSAGES_MAX_SIZE_BYTES } from './store/message-store-api.js';
export type { MessageStoreOptions } from './store/native-message-store.js';
export { RecordDraftEncoder } from './store/record-draft-encoder.js';
export { decodeStoredRecord, decodeStoredRecords } from './protocol/record-decoder.js';
export type { StoredMessage } from './protocol/record-decoder.js';
export { isStoreError, StoreError, StoreErrorCode, toStoreError } from './store/store-errors.js';
