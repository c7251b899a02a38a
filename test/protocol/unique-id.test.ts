// Specification of UNIQ_KEY (Java MessageClientIDSetter): the layout for a fixed clock, pid, hash, IP
// and counter, IPv6, the month roll, the clock step-back clamp, the time read back, and the fake IP.

import { describe, expect, it } from 'vitest';
import { MessageIdError } from '../../ts/protocol/offset-message-id.js';
import { fakeIp, UniqueIdGenerator, uniqueIdTimestamp } from '../../ts/protocol/unique-id.js';

describe('protocol: UNIQ_KEY', () => {
  const monthStart = new Date(2024, 4, 1).getTime(); // local midnight, 1 May 2024

  function generator(now: () => number, ip = Uint8Array.of(127, 0, 0, 1)): UniqueIdGenerator {
    return new UniqueIdGenerator({ ip, pid: 0x1234, processHash: 0x0a0b0c0d, now });
  }

  it('is ip | pid | hash | ms since month start | counter, uppercase hex', () => {
    const ids = generator(() => monthStart + 5000);
    expect(ids.next()).toBe('7F00000112340A0B0C0D000013880000');
    expect(ids.next()).toBe('7F00000112340A0B0C0D000013880001');
  });

  it("writes the low 16 bits of the pid and a negative hash as two's complement", () => {
    const ids = new UniqueIdGenerator({
      ip: Uint8Array.of(10, 0, 0, 5),
      pid: 0x12345,
      processHash: -1,
      now: () => monthStart,
    });
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

  it('clamps a small clock step back to a span of 0, as Java does for NTP corrections', () => {
    let now = monthStart + 1000;
    const ids = generator(() => now);
    expect(ids.next()).toBe('7F00000112340A0B0C0D000003E80000');
    now = monthStart - 500;
    expect(ids.next()).toBe('7F00000112340A0B0C0D000000000001');
    now = monthStart - 2_000_000;
    expect(ids.next()).toBe('7F00000112340A0B0C0DFFE17B800002');
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
