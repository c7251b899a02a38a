// Specification of message ids: the offset msgId golden from store.md §3 and its round trip (IPv4 and
// IPv6), typed errors on bad ids, and the UNIQ_KEY layout of Java MessageClientIDSetter.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { socketAddress } from '../../../ts/common/socket-address.js';
import {
  createOffsetMessageId,
  decodeOffsetMessageId,
  fakeIp,
  joinOffsetMessageIds,
  MessageIdError,
  UniqueIdGenerator,
  uniqueIdTimestamp,
} from '../../../ts/broker/domain/send/message-id.js';

const storeHost = socketAddress('127.0.0.2', 10911);

describe('send: offset msgId', () => {
  it('matches the store.md §3 golden for 127.0.0.2:10911 at offset 0', () => {
    expect(createOffsetMessageId(storeHost, 0)).toBe('7F00000200002A9F0000000000000000');
  });

  it('writes the offset as a big-endian i64', () => {
    expect(createOffsetMessageId(storeHost, 0x1_2345_6789)).toBe('7F00000200002A9F0000000123456789');
    expect(createOffsetMessageId(storeHost, Number.MAX_SAFE_INTEGER)).toBe('7F00000200002A9F001FFFFFFFFFFFFF');
  });

  it('is 56 chars for an IPv6 store host', () => {
    const id = createOffsetMessageId(socketAddress('::1', 10911), 168);
    expect(id).toBe('0000000000000000000000000000000100002A9F00000000000000A8');
  });

  it('decodes the golden, in either case', () => {
    const expected = { address: Uint8Array.of(127, 0, 0, 2), port: 10911, physicalOffset: 0 };
    expect(decodeOffsetMessageId('7F00000200002A9F0000000000000000')).toEqual(expected);
    expect(decodeOffsetMessageId('7f00000200002a9f0000000000000000')).toEqual(expected);
  });

  it('round-trips IPv4 and IPv6 hosts and any safe offset', () => {
    const host = fc.oneof(
      fc.uint8Array({ minLength: 4, maxLength: 4 }),
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
    );
    fc.assert(
      fc.property(host, fc.integer({ min: 0, max: 65535 }), fc.maxSafeNat(), (address, port, physicalOffset) => {
        const id = createOffsetMessageId({ address, port }, physicalOffset);
        expect(id).toMatch(address.length === 4 ? /^[0-9A-F]{32}$/ : /^[0-9A-F]{56}$/);
        expect(decodeOffsetMessageId(id)).toEqual({ address, port, physicalOffset });
      }),
    );
  });

  it.each([
    ['', 'length'],
    ['7F00000200002A9F000000000000000', 'length 31'],
    ['7F00000200002A9F000000000000000G', 'non-hex'],
    ['7F000002FFFFFFFF0000000000000000', 'negative port'],
    ['7F00000200010000' + '0000000000000000', 'port 65536'],
    ['7F00000200002A9F8000000000000000', 'negative offset'],
    ['7F00000200002A9F0020000000000000', 'offset 2^53'],
  ])('rejects %j (%s) with a MessageIdError', (id) => {
    expect(() => decodeOffsetMessageId(id)).toThrow(MessageIdError);
  });

  it('comma-joins the ids of a batch', () => {
    expect(joinOffsetMessageIds(storeHost, [0, 168])).toBe(
      '7F00000200002A9F0000000000000000,7F00000200002A9F00000000000000A8',
    );
  });
});

describe('send: UNIQ_KEY', () => {
  const monthStart = new Date(2024, 4, 1).getTime(); // local midnight, 1 May 2024

  function generator(now: () => number, ip = Uint8Array.of(127, 0, 0, 1)): UniqueIdGenerator {
    return new UniqueIdGenerator({ ip, pid: 0x1234, processHash: 0x0a0b0c0d, now });
  }

  it('is ip | pid | hash | ms since month start | counter, uppercase hex', () => {
    const ids = generator(() => monthStart + 5000);
    expect(ids.next()).toBe('7F00000112340A0B0C0D000013880000');
    expect(ids.next()).toBe('7F00000112340A0B0C0D000013880001');
  });

  it('writes the low 16 bits of the pid and a negative hash as two\'s complement', () => {
    const ids = new UniqueIdGenerator({ ip: Uint8Array.of(10, 0, 0, 5), pid: 0x12345, processHash: -1, now: () => monthStart });
    expect(ids.next()).toBe('0A0000052345FFFFFFFF000000000000');
  });

  it('is 32 uppercase hex chars and unique across calls', () => {
    const ids = generator(() => Date.now());
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const id = ids.next();
      expect(id).toMatch(/^[0-9A-F]{32}$/);
      seen.add(id);
    }
    expect(seen.size).toBe(10_000);
  });

  it('is 56 chars with an IPv6 address', () => {
    expect(generator(() => monthStart, new Uint8Array(16)).next()).toMatch(/^[0-9A-F]{56}$/);
  });

  it('restarts the span at the next month', () => {
    let now = monthStart + 1000;
    const ids = generator(() => now);
    expect(ids.next().slice(20, 28)).toBe('000003E8');
    now = new Date(2024, 5, 1).getTime() + 2000;
    expect(ids.next().slice(20, 28)).toBe('000007D0');
  });

  it('reads the store time back (Java getNearlyTimeFromID)', () => {
    const id = generator(() => monthStart + 123_456).next();
    expect(uniqueIdTimestamp(id, monthStart + 200_000)).toBe(monthStart + 123_456);
    expect(() => uniqueIdTimestamp('xyz', monthStart)).toThrow(MessageIdError);
  });

  it('makes a fake IP from the low 4 bytes of the time', () => {
    expect(fakeIp(0x1_0203_0405)).toEqual(Uint8Array.of(2, 3, 4, 5));
  });
});
