// The messages page's view of a stored record: its ids, place, properties and body (base64), and
// the search-result checks both backends share (keys re-checked, at most MAX_MESSAGES_PER_SEARCH).
// Depends on ts/protocol (record decoder, offset msgId, property names).

import { formatSocketAddress } from '../common/socket-address.js';
import {
  createOffsetMessageId,
  decodeOffsetMessageId,
  MessageIdError,
  type OffsetMessageId,
} from '../protocol/offset-message-id.js';
import type { StoredMessage } from '../protocol/record-decoder.js';
import type { DeliveryView, MessageView } from './dashboard-backend.js';
import { MAX_MESSAGES_PER_SEARCH } from './dashboard-limits.js';

/** `KEYS` holds several keys separated by a space (Java `MessageConst.KEY_SEPARATOR`). */
const KEY_SEPARATOR = ' ';

export function messageView(record: StoredMessage, brokerName: string): MessageView {
  const properties = Object.fromEntries(record.properties);
  const offsetMsgId = createOffsetMessageId(record.storeHost, record.physicalOffset);
  return {
    msgId: properties['UNIQ_KEY'] ?? offsetMsgId,
    offsetMsgId,
    topic: record.topic,
    brokerName,
    queueId: record.queueId,
    queueOffset: record.queueOffset,
    storeTimestamp: record.storeTimestamp,
    bornTimestamp: record.bornTimestamp,
    bornHost: formatSocketAddress(record.bornHost),
    reconsumeTimes: record.reconsumeTimes,
    properties,
    bodySizeBytes: record.body.length,
    body: record.body.toString('base64'),
  };
}

/** The index answers hash matches: keep the records of `topic` whose KEYS or UNIQ_KEY really is `key`. */
export function hasKey(record: StoredMessage, topic: string, key: string): boolean {
  if (record.topic !== topic) return false;
  if (record.properties.get('UNIQ_KEY') === key) return true;
  return (record.properties.get('KEYS') ?? '').split(KEY_SEPARATOR).includes(key);
}

/** Newest first, at most MAX_MESSAGES_PER_SEARCH, one per msgId. */
export function searchResult(views: Iterable<MessageView>): MessageView[] {
  const seen = new Map<string, MessageView>();
  for (const view of views) if (!seen.has(view.offsetMsgId)) seen.set(view.offsetMsgId, view);
  return [...seen.values()]
    .sort((a, b) => b.storeTimestamp - a.storeTimestamp || b.queueOffset - a.queueOffset)
    .slice(0, MAX_MESSAGES_PER_SEARCH);
}

/** Consumed by the group when its committed offset on the message's queue is past the message. */
export function deliveryView(group: string, consumerOffset: number, message: MessageView): DeliveryView {
  return { group, consumerOffset, consumed: consumerOffset > message.queueOffset };
}

/** The store host and physical offset an offset msgId carries; null for any other text (e.g. a UNIQ_KEY). */
export function offsetMessageIdOrNull(msgId: string): OffsetMessageId | null {
  try {
    return decodeOffsetMessageId(msgId);
  } catch (error) {
    if (error instanceof MessageIdError) return null;
    throw error;
  }
}
