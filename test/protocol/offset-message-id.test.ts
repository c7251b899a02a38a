// Specification of the offset msgId: the golden for 127.0.0.2:10911, the big-endian offset, IPv6 hosts,
// the round trip, typed errors on bad ids, and the comma-joined ids of a batch.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSocketAddress, socketAddress } from '../../ts/common/socket-address.js';
import {
  createOffsetMessageId,
  decodeOffsetMessageId,
  joinOffsetMessageIds,
  MessageIdError,
} from '../../ts/protocol/offset-message-id.js';

const storeHost = socketAddress('127.0.0.2', 10911);

describe('protocol: offset msgId', () => {
  it('matches the golden for 127.0.0.2:10911 at offset 0', () => {
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

  it('writes 127.0.0.1:10911 at 2^40 + 5 and reads the host back as the client shows it', () => {
    const id = createOffsetMessageId(socketAddress('127.0.0.1', 10911), 2 ** 40 + 5);
    expect(id).toBe('7F00000100002A9F0000010000000005');
    const decoded = decodeOffsetMessageId(id);
    expect(decoded.physicalOffset).toBe(2 ** 40 + 5);
    expect(formatSocketAddress(decoded)).toBe('127.0.0.1:10911');
    expect(() => decodeOffsetMessageId('not an id')).toThrow(MessageIdError);
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
