// The shared pieces of `clean-rocketmq admin`: the name server from -n or NAMESRV_ADDR, the one-line
// failure, mqadmin's -s timestamps and Java's padding. No network.

import { describe, expect, it } from 'vitest';
import { type AdminIo, failureLine, front, left, namesrvAddrOf, right } from '../../ts/admin/admin-io.js';
import { parseResetTimestamp } from '../../ts/admin/group-commands.js';

const io = (env: Record<string, string | undefined>): AdminIo => ({
  out: () => undefined,
  err: () => undefined,
  env,
  setExitCode: () => undefined,
});

describe('admin io', () => {
  it('takes -n first, then NAMESRV_ADDR, and refuses neither', () => {
    expect(namesrvAddrOf({ namesrvAddr: ' a:1 ' }, io({ NAMESRV_ADDR: 'b:2' }))).toBe('a:1');
    expect(namesrvAddrOf({}, io({ NAMESRV_ADDR: 'b:2' }))).toBe('b:2');
    expect(() => namesrvAddrOf({}, io({}))).toThrow(/give -n <host:port> or set NAMESRV_ADDR/);
  });

  it('puts a failure on one line', () => {
    expect(failureLine('topicList', new Error('first\n  second'))).toBe('topicList command failed: first second');
  });

  it("parses mqadmin's timestamps: now, epoch ms, yyyy-MM-dd#HH:mm:ss:SSS in local time", () => {
    expect(parseResetTimestamp('now', 42)).toBe(42);
    expect(parseResetTimestamp('1700000000000', 0)).toBe(1700000000000);
    expect(parseResetTimestamp('2024-03-05#06:07:08:009', 0)).toBe(new Date(2024, 2, 5, 6, 7, 8, 9).getTime());
    expect(() => parseResetTimestamp('yesterday', 0)).toThrow(/now, epoch ms or yyyy-MM-dd#HH:mm:ss:SSS/);
  });

  it("pads as Java's %-Ns and %Ns, and cuts as frontStringAtLeast", () => {
    expect(left('ab', 4)).toBe('ab  ');
    expect(right(7, 3)).toBe('  7');
    expect(front('abcdef', 3)).toBe('abc');
  });
});
