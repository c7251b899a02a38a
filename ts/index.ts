// The package's public surface: the store facade and its interface, the record codecs, typed
// errors, and the shared message codecs. Depends on ts/store and ts/common.

export {
  encodeMessageProperties,
  KEY_SEPARATOR,
  MessageProperty,
  NAME_VALUE_SEPARATOR,
  parseMessageProperties,
  PROPERTY_SEPARATOR,
} from './common/message-properties.js';
export type { MessagePropertiesInput, MessagePropertyName } from './common/message-properties.js';
export { formatSocketAddress, parseSocketAddress, socketAddress } from './common/socket-address.js';
export type { SocketAddress } from './common/socket-address.js';
export { javaStringHashCode, tagsCode } from './common/tag-code.js';
export { MessageMagicCode, MessageSysFlag } from './store/commit-log-record.js';
export { GetMessageStatus } from './store/message-store-api.js';
export type {
  AppendResult,
  GetMessagesOptions,
  GetMessagesResult,
  MessageStore,
  StoreMessage,
} from './store/message-store-api.js';
export { DEFAULT_GET_MESSAGES_MAX_SIZE_BYTES, NativeMessageStore } from './store/native-message-store.js';
export type { MessageStoreOptions } from './store/native-message-store.js';
export { RecordDraftEncoder } from './store/record-draft-encoder.js';
export { decodeStoredRecord, decodeStoredRecords } from './store/stored-record-decoder.js';
export type { StoredMessage } from './store/stored-record-decoder.js';
export { isStoreError, StoreError, StoreErrorCode, toStoreError } from './store/store-errors.js';
