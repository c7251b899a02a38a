// Specification of the CommitLog record decoder against byte vectors written out here: a V1 record
// with IPv4 hosts, a V2 record with an IPv6 born host, records back to back, and the corrupt records
// it refuses (bad magic, TOTALSIZE out of range or not matching the fields, lengths past the end).

import { describe, expect, it } from 'vitest';
import { MessageMagicCode, MIN_RECORD_SIZE_BYTES } from '../../ts/protocol/commit-log-record.js';
import { MessageSysFlag } from '../../ts/protocol/message-sys-flag.js';
import {
  decodeStoredRecord,
  readRecordPropertiesString,
  decodeStoredRecords,
  RecordDecodeError,
} from '../../ts/protocol/record-decoder.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

const PROPERTIES = 'KEYS\x01K1 K2\x02UNIQ_KEY\x017F000001000100000000000000000000\x02TAGS\x01TagA\x02';

/** Topic "TopicTest", queue 1, body "hello", born 127.0.0.1:50000, stored by 127.0.0.2:10911. */
const V1_RECORD = Buffer.concat([
  hex(
    [
      '000000a8', // TOTALSIZE 168
      'daa320a7', // MAGICCODE V1
      '3610a686', // BODYCRC
      '00000001', // QUEUEID
      '00000000', // FLAG
      '0000000000000007', // QUEUEOFFSET 7
      '0000000000001000', // PHYSICALOFFSET 4096
      '00000000', // SYSFLAG
      '0000018bcfe56800', // BORNTIMESTAMP 1_700_000_000_000
      '7f000001 0000c350', // BORNHOST 127.0.0.1:50000
      '000001a20d5e1d4d', // STORETIMESTAMP 1_795_520_601_421
      '7f000002 00002a9f', // STOREHOST 127.0.0.2:10911
      '00000002', // RECONSUMETIMES
      '0000000000000000', // PREPARED TRANSACTION OFFSET
      '00000005 68656c6c6f', // BODYLENGTH, "hello"
      '09 546f70696354657374', // TOPICLENGTH (1 byte), "TopicTest"
      '003f', // PROPERTIESLENGTH 63
    ].join(''),
  ),
  Buffer.from(PROPERTIES, 'utf8'),
]);

/** Topic "T", empty body and properties, born at [::1]:7 (sysFlag 0x10), V2 (2-byte topic length). */
const V2_IPV6_RECORD = hex(
  [
    '00000069', // TOTALSIZE 105 = 91 + 12 (IPv6 born host) + 1 (V2) + 1 (topic)
    'daa320ab', // MAGICCODE V2
    '00000000 00000003 00000009',
    '0000000000000000 0000000000000000',
    '00000010', // SYSFLAG: BORNHOST_V6_FLAG
    '0000000000000001',
    '00000000000000000000000000000001 00000007', // BORNHOST [::1]:7
    '0000000000000002',
    '0a000005 00002a9f', // STOREHOST 10.0.0.5:10911
    '00000000 0000000000000000',
    '00000000', // BODYLENGTH 0
    '0001 54', // TOPICLENGTH (2 bytes), "T"
    '0000', // PROPERTIESLENGTH 0
  ].join(''),
);

describe('protocol: CommitLog record decoder', () => {
  it('decodes every field of a V1 record with IPv4 hosts', () => {
    const record = decodeStoredRecord(V1_RECORD);
    expect(readRecordPropertiesString(V1_RECORD, 0)).toBe(record.propertiesString);
    expect(record).toMatchObject({
      totalSizeBytes: 168,
      magicCode: MessageMagicCode.V1,
      bodyCrc: 0x3610a686,
      queueId: 1,
      flag: 0,
      queueOffset: 7,
      physicalOffset: 4096,
      sysFlag: 0,
      bornTimestamp: 1_700_000_000_000,
      bornHost: { address: Uint8Array.of(127, 0, 0, 1), port: 50000 },
      storeTimestamp: 1_795_520_601_421,
      storeHost: { address: Uint8Array.of(127, 0, 0, 2), port: 10911 },
      reconsumeTimes: 2,
      preparedTransactionOffset: 0,
      topic: 'TopicTest',
      propertiesString: PROPERTIES,
    });
    expect(record.body.toString()).toBe('hello');
    expect(record.properties.get('TAGS')).toBe('TagA');
    expect(record.properties.get('KEYS')).toBe('K1 K2');
  });

  it('decodes a V2 record with an IPv6 born host', () => {
    const record = decodeStoredRecord(V2_IPV6_RECORD);
    expect(readRecordPropertiesString(V2_IPV6_RECORD, 0)).toBe(record.propertiesString);
    expect(record.magicCode).toBe(MessageMagicCode.V2);
    expect(record.sysFlag).toBe(MessageSysFlag.BORNHOST_V6_FLAG);
    const loopback6 = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    expect(record.bornHost).toEqual({ address: loopback6, port: 7 });
    expect(record.storeHost).toEqual({ address: Uint8Array.of(10, 0, 0, 5), port: 10911 });
    expect([record.queueId, record.flag, record.topic, record.body.length]).toEqual([3, 9, 'T', 0]);
    expect(record.properties.size).toBe(0);
  });

  it('decodes records back to back, and a record at an offset', () => {
    const both = Buffer.concat([V1_RECORD, V2_IPV6_RECORD]);
    expect(decodeStoredRecords(both).map((r) => r.topic)).toEqual(['TopicTest', 'T']);
    expect(decodeStoredRecord(both, 168).totalSizeBytes).toBe(105);
  });

  it('reads the body in place, without a copy', () => {
    const record = decodeStoredRecord(V1_RECORD);
    expect(record.body.buffer).toBe(V1_RECORD.buffer);
  });

  it.each([
    ['a bad magic code', (b: Buffer) => b.writeInt32BE(0x12345678, 4)],
    ['TOTALSIZE past the buffer', (b: Buffer) => b.writeInt32BE(169, 0)],
    ['TOTALSIZE below the minimum', (b: Buffer) => b.writeInt32BE(MIN_RECORD_SIZE_BYTES - 1, 0)],
    ['TOTALSIZE not matching the fields', (b: Buffer) => b.writeInt32BE(167, 0)],
    ['BODYLENGTH past the record', (b: Buffer) => b.writeInt32BE(1000, 84)],
    ['a negative BODYLENGTH', (b: Buffer) => b.writeInt32BE(-1, 84)],
    ['a negative V1 TOPICLENGTH', (b: Buffer) => b.writeUInt8(0x80, 93)],
    ['PROPERTIESLENGTH past the record', (b: Buffer) => b.writeInt16BE(64, 103)],
  ])('refuses %s with RecordDecodeError ERR_CORRUPT', (_what, corrupt) => {
    const bytes = Buffer.from(V1_RECORD);
    corrupt(bytes);
    expect(() => decodeStoredRecord(bytes)).toThrow(RecordDecodeError);
    expect(() => decodeStoredRecord(bytes)).toThrow(expect.objectContaining({ code: 'ERR_CORRUPT' }));
  });

  it('refuses fewer than 8 bytes', () => {
    expect(() => decodeStoredRecords(Buffer.concat([V1_RECORD, Buffer.alloc(4)]))).toThrow(/4 bytes left/);
  });
});
