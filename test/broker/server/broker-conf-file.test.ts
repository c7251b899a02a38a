// mergeBrokerConf: UPDATE_BROKER_CONFIG's values written into broker.conf text in place, comments,
// order and continuation lines kept, new keys appended, and the result read back as the new values.

import { describe, expect, it } from 'vitest';
import { mergeBrokerConf } from '../../../ts/broker/server/broker-conf-file.js';
import { parseProperties } from '../../../ts/broker/server/broker-config.js';

describe('mergeBrokerConf', () => {
  it('replaces a key where it stands, drops its duplicates and continuation lines, appends new keys', () => {
    const text = ['# c', 'a = 1', 'b:2', '  c=one \\', '    two', 'a=3', '! other'].join('\n') + '\n';
    const merged = mergeBrokerConf(
      text,
      new Map([
        ['a', '9'],
        ['c', 'x'],
        ['d', 'back\\slash'],
      ]),
    );
    expect(merged).toBe(['# c', 'a=9', 'b:2', 'c=x', '! other', 'd=back\\\\slash'].join('\n') + '\n');
    expect(Object.fromEntries(parseProperties(merged))).toEqual({ a: '9', b: '2', c: 'x', d: 'back\\slash' });
  });

  it('keeps a file with no final newline as it is but for the key, and starts an empty file', () => {
    expect(mergeBrokerConf('a=1\nb=2', new Map([['a', '5']]))).toBe('a=5\nb=2');
    expect(mergeBrokerConf('', new Map([['a', '5']]))).toBe('a=5\n');
  });
});
