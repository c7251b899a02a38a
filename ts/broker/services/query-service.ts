// QueryService: message lookups, protocol-neutral (Java `QueryMessageProcessor`): by topic + key +
// time range through the index, and by the physical offset an offset msgId carries.
// Depends on the store interface.

import type { MessageStore, QueryMessageResult } from '../../store/message-store-api.js';
import { isStoreError } from '../../store/store-errors.js';
import { BrokerError, BrokerErrorCode } from '../domain/broker-error.js';

/** `MessageStoreConfig.defaultQueryMaxNum`: the cap of a query by unique key. */
export const DEFAULT_QUERY_MAX_NUM = 32;

export class QueryService {
  constructor(private readonly store: () => MessageStore) {}

  /** The records indexed under `key` within [beginMs, endMs]; a front answers none as QUERY_NOT_FOUND. */
  queryMessage(topic: string, key: string, maxNum: number, beginMs: number, endMs: number): QueryMessageResult {
    return this.store().queryMessage(topic, key, maxNum, beginMs, endMs);
  }

  /** The raw record at a physical offset; SYSTEM_ERROR when there is none. */
  viewMessageByOffset(physicalOffset: number): Buffer {
    try {
      return this.store().getMessageByOffset(physicalOffset);
    } catch (error) {
      if (!isStoreError(error)) throw error;
      throw new BrokerError(BrokerErrorCode.SYSTEM_ERROR, `can not find message by the offset, ${physicalOffset}`);
    }
  }
}
