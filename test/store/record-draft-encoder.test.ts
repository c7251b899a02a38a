// Specification of the record draft encoder and the stored-record decoder, without a store:
// golden bytes, V1/V2 and IPv4/IPv6 choices, limits, buffer reuse, and a fast-check round trip.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeMessageProperties } from '../../ts/protocol/message-properties.js';
import { socketAddress } from '../../ts/common/socket-address.js';
import { MessageMagicCode } from '../../ts/protocol/commit-log-record.js';
import { MessageSysFlag } from '../../ts/protocol/message-sys-flag.js';
import type { StoreMessage } from '../../ts/store/message-store-api.js';
import { RecordDraftEncoder } from '../../ts/store/record-draft-encoder.js';
import { decodeStoredRecord, decodeStoredRecords } from '../../ts/protocol/record-decoder.js';
import { StoreErrorCode } from '../../ts/store/store-errors.js';
import { goldenMessage, goldenRecordBytes, STORE_HOST } from './store-fixtures.js';

/** The golden record as a draft: BODYCRC (8..11) and STORETIMESTAMP (56..63) are 0. */
function goldenDraftBytes(): Buffer {
  const draft = goldenRecordBytes();
  draft.fill(0, 8, 12);
  draft.fill(0, 56, 64);
  return draft;
}

describe('record draft encoder: layout', () => {
  it('writes the golden record of docs/store-format.md §2.9 with the store-filled fields left 0', () => {
    const draft = new RecordDraftEncoder().encode([goldenMessage()]);
    expect(draft.toString('hex')).toBe(goldenDraftBytes().toString('hex'));
  });

  it('writes a batch back to back', () => {
    const draft = new RecordDraftEncoder().encode([goldenMessage(), goldenMessage(), goldenMessage()]);
    const one = goldenDraftBytes();
    expect(draft.toString('hex')).toBe(Buffer.concat([one, one, one]).toString('hex'));
  });

  it('uses V1 with a 1-byte topic length up to 127 bytes, V2 with a 2-byte length above', () => {
    const encoder = new RecordDraftEncoder();
    const v1 = decodeStoredRecord(encoder.encode([goldenMessage({ topic: 'T'.repeat(127) })]));
    expect(v1.magicCode).toBe(MessageMagicCode.V1);
    expect(v1.totalSizeBytes).toBe(91 + 5 + 127 + 63);
    const v2 = decodeStoredRecord(encoder.encode([goldenMessage({ topic: 'T'.repeat(128) })]));
    expect(v2.magicCode).toBe(MessageMagicCode.V2);
    expect(v2.totalSizeBytes).toBe(92 + 5 + 128 + 63);
    expect(v2.topic).toBe('T'.repeat(128));
  });

  it('writes IPv6 hosts as 20 bytes and sets the sysFlag bits from the hosts', () => {
    const encoder = new RecordDraftEncoder();
    const bornHost = socketAddress('::1', 50000);
    const storeHost = socketAddress('fe80::1:2', 10911);
    const born6 = decodeStoredRecord(
      encoder.encode([goldenMessage({ bornHost, sysFlag: MessageSysFlag.STOREHOSTADDRESS_V6_FLAG })]),
    );
    expect(born6.sysFlag).toBe(MessageSysFlag.BORNHOST_V6_FLAG);
    expect(born6.totalSizeBytes).toBe(168 + 12);
    expect(born6.bornHost).toEqual(bornHost);
    expect(born6.storeHost).toEqual(STORE_HOST);
    const both6 = decodeStoredRecord(encoder.encode([goldenMessage({ bornHost, storeHost, sysFlag: 0x1 })]));
    expect(both6.sysFlag).toBe(0x1 | MessageSysFlag.BORNHOST_V6_FLAG | MessageSysFlag.STOREHOSTADDRESS_V6_FLAG);
    expect(both6.totalSizeBytes).toBe(168 + 24);
    expect(both6.storeHost).toEqual(storeHost);
  });

  it('writes 64-bit fields exactly up to 2^53', () => {
    const big = Number.MAX_SAFE_INTEGER;
    const decoded = decodeStoredRecord(
      new RecordDraftEncoder().encode([goldenMessage({ bornTimestamp: big, preparedTransactionOffset: 2 ** 40 + 7 })]),
    );
    expect(decoded.bornTimestamp).toBe(big);
    expect(decoded.preparedTransactionOffset).toBe(2 ** 40 + 7);
  });

  it('counts properties in UTF-8 bytes', () => {
    const properties = encodeMessageProperties({ KEYS: 'clé 😀' });
    const decoded = decodeStoredRecord(new RecordDraftEncoder().encode([goldenMessage({ properties })]));
    expect(decoded.propertiesString).toBe(properties);
    expect(decoded.totalSizeBytes).toBe(91 + 5 + 9 + Buffer.byteLength(properties));
  });
});

describe('record draft encoder: limits and buffer reuse', () => {
  it('refuses properties over 32767 bytes and topics over 65535 bytes', () => {
    const encoder = new RecordDraftEncoder();
    const properties = `KEYS\x01${'k'.repeat(32767 - 6)}\x02`;
    expect(Buffer.byteLength(properties)).toBe(32767);
    expect(() => encoder.encode([goldenMessage({ properties })])).not.toThrow();
    expect(() => encoder.encode([goldenMessage({ properties: properties + 'x' })])).toThrow(
      expect.objectContaining({ code: StoreErrorCode.PROPERTIES_SIZE_EXCEEDED }),
    );
    expect(() => encoder.encode([goldenMessage({ topic: 't'.repeat(65536) })])).toThrow(
      expect.objectContaining({ code: StoreErrorCode.MESSAGE_ILLEGAL }),
    );
  });

  it('refuses a host address that is neither 4 nor 16 bytes', () => {
    const bornHost = { address: new Uint8Array(5), port: 1 };
    expect(() => new RecordDraftEncoder().encode([goldenMessage({ bornHost })])).toThrow(
      expect.objectContaining({ code: StoreErrorCode.INVALID_ARG }),
    );
  });

  it('reuses one backing buffer and grows it by doubling', () => {
    const encoder = new RecordDraftEncoder(1024);
    const first = encoder.encode([goldenMessage()]);
    const second = encoder.encode([goldenMessage({ queueId: 2 })]);
    expect(second.buffer).toBe(first.buffer);
    const big = encoder.encode([goldenMessage({ body: Buffer.alloc(5000, 7) })]);
    expect(encoder.capacityBytes).toBe(8192);
    expect(decodeStoredRecord(big).body.equals(Buffer.alloc(5000, 7))).toBe(true);
    // After growing, a small batch still encodes from the start.
    expect(encoder.encode([goldenMessage()]).toString('hex')).toBe(goldenDraftBytes().toString('hex'));
  });
});

const host = fc.oneof(
  fc.tuple(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 65535 })),
  fc.tuple(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 65535 })),
);
const propertyName = fc
  .string({ minLength: 1, maxLength: 12 })
  .filter((s) => !s.includes('\x01') && !s.includes('\x02'));
const propertyValue = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.includes('\x02'));
const storeMessage: fc.Arbitrary<StoreMessage> = fc.record({
  topic: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }),
  queueId: fc.integer({ min: 0, max: 1023 }),
  body: fc.uint8Array({ maxLength: 600 }),
  flag: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  properties: fc.dictionary(propertyName, propertyValue, { maxKeys: 6 }).map((p) => encodeMessageProperties(p)),
  sysFlag: fc.integer({ min: 0, max: 0x70f }),
  bornTimestamp: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  bornHost: host.map(([address, port]) => ({ address, port })),
  storeHost: host.map(([address, port]) => ({ address, port })),
  reconsumeTimes: fc.integer({ min: 0, max: 64 }),
  preparedTransactionOffset: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
});

describe('record draft encoder → stored record decoder', () => {
  it('round-trips every field of any batch through one reused encoder', () => {
    const encoder = new RecordDraftEncoder(256);
    fc.assert(
      fc.property(fc.array(storeMessage, { minLength: 1, maxLength: 8 }), (messages) => {
        const decoded = decodeStoredRecords(encoder.encode(messages));
        expect(decoded).toHaveLength(messages.length);
        decoded.forEach((record, i) => {
          const m = messages[i] as StoreMessage;
          const hostFlags =
            (m.bornHost.address.length === 16 ? 0x10 : 0) | (m.storeHost.address.length === 16 ? 0x20 : 0);
          expect(record.topic).toBe(m.topic);
          expect(record.magicCode).toBe(Buffer.byteLength(m.topic) > 127 ? MessageMagicCode.V2 : MessageMagicCode.V1);
          expect(record.queueId).toBe(m.queueId);
          expect(Buffer.from(record.body).equals(Buffer.from(m.body))).toBe(true);
          expect(record.flag).toBe(m.flag);
          expect(record.propertiesString).toBe(m.properties);
          expect(record.sysFlag).toBe(((m.sysFlag ?? 0) & ~0x30) | hostFlags);
          expect(record.bornTimestamp).toBe(m.bornTimestamp);
          expect(record.bornHost).toEqual(m.bornHost);
          expect(record.storeHost).toEqual(m.storeHost);
          expect(record.reconsumeTimes).toBe(m.reconsumeTimes);
          expect(record.preparedTransactionOffset).toBe(m.preparedTransactionOffset);
          expect([record.bodyCrc, record.queueOffset, record.physicalOffset, record.storeTimestamp]).toEqual([
            0, 0, 0, 0,
          ]);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a record whose TOTALSIZE does not match its fields', () => {
    const draft = Buffer.from(new RecordDraftEncoder().encode([goldenMessage()]));
    draft.writeInt32BE(167, 0);
    expect(() => decodeStoredRecord(draft)).toThrow(expect.objectContaining({ code: StoreErrorCode.CORRUPT }));
    draft.writeInt32BE(168, 0);
    draft.writeInt32BE(0x12345678, 4);
    expect(() => decodeStoredRecord(draft)).toThrow(expect.objectContaining({ code: StoreErrorCode.CORRUPT }));
  });
});
