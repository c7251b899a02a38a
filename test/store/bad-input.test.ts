// Specification of the record drafts the native store refuses (all or nothing, as a typed StoreError)
// and that it keeps reading and appending correctly afterwards. What every store refuses is in
// message-store-conformance-input.ts.

import { describe, expect, it } from 'vitest';
import { MessageMagicCode } from '../../ts/store/commit-log-record.js';
import type { StoreMessage } from '../../ts/store/message-store-api.js';
import { RecordDraftEncoder } from '../../ts/store/record-draft-encoder.js';
import { StoreErrorCode } from '../../ts/store/store-errors.js';
import { expectStillWorking, storeError } from './message-store-conformance-input.js';
import { goldenMessage, openStore } from './store-fixtures.js';

/** A draft of `message` rewritten as V1 with a 1-byte topic length, whatever the topic's size. */
function v1Draft(message: StoreMessage): Buffer {
  const v2 = Buffer.from(new RecordDraftEncoder().encode([message]));
  expect(v2.readInt32BE(4)).toBe(MessageMagicCode.V2);
  const topicLengthAt = 88 + message.body.length;
  const v1 = Buffer.concat([v2.subarray(0, topicLengthAt), v2.subarray(topicLengthAt + 1)]);
  v1.writeInt32BE(v1.length, 0);
  v1.writeInt32BE(MessageMagicCode.V1, 4);
  return v1;
}

describe('store: bad input', () => {
  it('refuses a V1 draft whose topic is over 127 bytes', () => {
    const store = openStore({ commitLogFileSizeBytes: 1 << 20 });
    const draft = v1Draft(goldenMessage({ topic: 'T'.repeat(128) }));
    expect(() => store.appendDrafts(draft, 1)).toThrow(storeError(StoreErrorCode.MESSAGE_ILLEGAL));
    expectStillWorking(store, 0);
  });

  it('refuses malformed drafts: bad magic, TOTALSIZE off by one, a count beyond the buffer', () => {
    const store = openStore({ commitLogFileSizeBytes: 1 << 20 });
    const good = Buffer.from(new RecordDraftEncoder().encode([goldenMessage()]));
    const badMagic = Buffer.from(good);
    badMagic.writeInt32BE(0x12345678, 4);
    const badSize = Buffer.from(good);
    badSize.writeInt32BE(169, 0);
    expect(() => store.appendDrafts(badMagic, 1)).toThrow(storeError(StoreErrorCode.MESSAGE_ILLEGAL));
    expect(() => store.appendDrafts(badSize, 1)).toThrow(storeError(StoreErrorCode.MESSAGE_ILLEGAL));
    expect(() => store.appendDrafts(good, 2)).toThrow(storeError(StoreErrorCode.MESSAGE_ILLEGAL));
    expect(() => store.appendDrafts(Buffer.concat([good, Buffer.alloc(3)]), 1)).toThrow(
      storeError(StoreErrorCode.MESSAGE_ILLEGAL),
    );
    expectStillWorking(store, 0);
  });
});
