// Specification of host parsing and formatting: the 4- or 16-byte form records carry.

import { describe, expect, it } from 'vitest';
import { formatSocketAddress, parseSocketAddress, socketAddress } from '../../ts/common/socket-address.js';

describe('socket address', () => {
  it('parses IPv4 into 4 bytes', () => {
    expect(socketAddress('127.0.0.1', 50000)).toEqual({ address: Uint8Array.of(127, 0, 0, 1), port: 50000 });
  });

  it('parses IPv6 into 16 bytes, compressed or not, with a zone or an IPv4 tail', () => {
    const loopback = new Uint8Array(16);
    loopback[15] = 1;
    expect(socketAddress('::1', 1).address).toEqual(loopback);
    expect(socketAddress('0:0:0:0:0:0:0:1', 1).address).toEqual(loopback);
    expect(formatSocketAddress(socketAddress('fe80::1:2%eth0', 9))).toBe('[fe80:0:0:0:0:0:1:2]:9');
    expect(formatSocketAddress(socketAddress('2001:db8::1.2.3.4', 9))).toBe('[2001:db8:0:0:0:0:102:304]:9');
    expect(formatSocketAddress(socketAddress('::', 9))).toBe('[0:0:0:0:0:0:0:0]:9');
  });

  it('turns an IPv4-mapped IPv6 address into IPv4, as Java does', () => {
    expect(socketAddress('::ffff:10.0.0.7', 80).address).toEqual(Uint8Array.of(10, 0, 0, 7));
  });

  it('parses and formats host:port text', () => {
    expect(formatSocketAddress(parseSocketAddress('127.0.0.2:10911'))).toBe('127.0.0.2:10911');
    expect(formatSocketAddress(parseSocketAddress('[::1]:8081'))).toBe('[0:0:0:0:0:0:0:1]:8081');
  });

  it('rejects what is not an address or a port', () => {
    expect(() => socketAddress('localhost', 1)).toThrow(RangeError);
    expect(() => socketAddress('1.2.3.4', 70000)).toThrow(RangeError);
    expect(() => parseSocketAddress('1.2.3.4')).toThrow(RangeError);
  });
});
