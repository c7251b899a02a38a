// Specification of the CommitLog files through N-API: roll-over behind a blank record (read back
// from disk), reads across files, and reopening a store folder.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GetMessageStatus } from '../../ts/store/message-store-api.js';
import type { NativeMessageStore } from '../../ts/store/native-message-store.js';
import { decodeStoredRecords } from '../../ts/protocol/record-decoder.js';
import { StoreErrorCode } from '../../ts/store/store-errors.js';
import { freshStoreDir, GOLDEN_PROPERTIES_188, goldenMessage, hex, openStore, placements } from './store-fixtures.js';

const SMALL_FILES = { commitLogFileSizeBytes: 1024, consumeQueueUnitsPerFile: 4 };

/** Every record of (TopicTest, queueId) from offset 0, read in pulls of at most `maxCount`. */
function readAll(store: NativeMessageStore, queueId: number, maxCount = 3): Buffer {
  const chunks: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const result = store.getMessages('TopicTest', queueId, offset, maxCount, { maxSizeBytes: 1 << 30 });
    if (result.status !== GetMessageStatus.FOUND) return Buffer.concat(chunks);
    chunks.push(result.buffer);
    offset = result.nextBeginOffset;
  }
}

describe('commit log: roll-over', () => {
  it('closes a full file with a blank record and puts the next message at the next file start', () => {
    const storePath = freshStoreDir();
    const store = openStore({ storePath, ...SMALL_FILES });
    const message = goldenMessage({ properties: GOLDEN_PROPERTIES_188 });
    const result = store.append(Array.from({ length: 6 }, () => message));
    expect(placements(result.offsets).map(([physicalOffset]) => physicalOffset)).toEqual([0, 188, 376, 564, 752, 1024]);
    expect(store.getMessageByOffset(1024).length).toBe(188);
    expect(() => store.getMessageByOffset(940)).toThrow(
      expect.objectContaining({ code: StoreErrorCode.OFFSET_ILLEGAL }),
    );
    store.close();

    const first = readFileSync(join(storePath, 'commitlog', '00000000000000000000'));
    expect(first.length).toBe(1024);
    expect(first.subarray(940, 948).toString('hex')).toBe(hex('00000054 cbd43194').toString('hex'));
    const second = readFileSync(join(storePath, 'commitlog', '00000000000000001024'));
    expect(second.readInt32BE(0)).toBe(188);
    expect(existsSync(join(storePath, 'consumequeue', 'TopicTest', '1'))).toBe(true);
  });

  it('reads across files in order', () => {
    const store = openStore(SMALL_FILES);
    for (let i = 0; i < 4; i++) {
      store.append(Array.from({ length: 5 }, (_, j) => goldenMessage({ body: Buffer.from(`m${i * 5 + j}`) })));
    }
    const records = decodeStoredRecords(readAll(store, 1));
    expect(records.map((r) => r.body.toString())).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    expect(records.map((r) => r.queueOffset)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    for (const record of records) {
      // Never across a file boundary.
      expect(Math.floor(record.physicalOffset / 1024)).toBe(
        Math.floor((record.physicalOffset + record.totalSizeBytes - 1) / 1024),
      );
    }
    expect(store.getMaxPhysicalOffset()).toBeGreaterThan(3 * 1024);
  });
});

describe('commit log: reopening', () => {
  it('reads everything back byte for byte and continues the queue offsets', () => {
    const storePath = freshStoreDir();
    const store = openStore({ storePath, ...SMALL_FILES });
    store.append(Array.from({ length: 20 }, (_, i) => goldenMessage({ queueId: i % 2, body: Buffer.from(`m${i}`) })));
    const before = [readAll(store, 0), readAll(store, 1)];
    const maxPhysicalOffset = store.getMaxPhysicalOffset();
    expect(before[0]?.length).toBeGreaterThan(0);
    store.close();

    const reopened = openStore({ storePath, ...SMALL_FILES });
    expect(reopened.getMaxPhysicalOffset()).toBe(maxPhysicalOffset);
    expect([reopened.getMaxOffsetInQueue('TopicTest', 0), reopened.getMaxOffsetInQueue('TopicTest', 1)]).toEqual([
      10, 10,
    ]);
    expect(readAll(reopened, 0).equals(before[0] as Buffer)).toBe(true);
    expect(readAll(reopened, 1).equals(before[1] as Buffer)).toBe(true);

    const next = reopened.append([goldenMessage({ queueId: 1 }), goldenMessage({ queueId: 0 })]);
    expect(placements(next.offsets).map(([, queueOffset]) => queueOffset)).toEqual([10, 10]);
    expect(placements(next.offsets)[0]?.[0]).toBeGreaterThanOrEqual(maxPhysicalOffset);
    expect(decodeStoredRecords(readAll(reopened, 1)).map((r) => r.queueOffset)).toEqual(
      Array.from({ length: 11 }, (_, i) => i),
    );
  });
});
