// Specification of the admin body JSON: fastjson's object-keyed maps (MessageQueue keys) and Java's
// Double.toString.

import { describe, expect, it } from 'vitest';
import {
  javaDouble,
  messageQueueKey,
  ObjectKeyedMap,
  writeFastJson,
} from '../../../ts/broker/domain/admin/admin-json.js';

describe('admin: fastjson bodies', () => {
  it('writes a MessageQueue-keyed map with the key object before the colon, fields sorted', () => {
    const map = new ObjectKeyedMap<object, unknown>([
      [messageQueueKey('T', 'broker-a', 0), 5],
      [messageQueueKey('T', 'broker-a', 1), { maxOffset: 7, minOffset: 0 }],
    ]);
    expect(writeFastJson({ offsetTable: map })).toBe(
      '{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"T"}:5,' +
        '{"brokerName":"broker-a","queueId":1,"topic":"T"}:{"maxOffset":7,"minOffset":0}}}',
    );
  });

  it('writes plain values as compact JSON, dropping undefined fields and writing sets as arrays', () => {
    expect(writeFastJson({ a: 'x"y', b: undefined, c: [1, null], d: new Set(['s']), e: {} })).toBe(
      '{"a":"x\\"y","c":[1,null],"d":["s"],"e":{}}',
    );
    expect(writeFastJson(new ObjectKeyedMap([]))).toBe('{}');
  });

  it('formats doubles as Java does', () => {
    expect(javaDouble(0)).toBe('0.0');
    expect(javaDouble(3)).toBe('3.0');
    expect(javaDouble(0.5)).toBe('0.5');
    expect(javaDouble(2 / 3)).toBe('0.6666666666666666');
    expect(javaDouble(1e7)).toBe('1.0E7');
    expect(javaDouble(12345678.9)).toBe('1.23456789E7');
    expect(javaDouble(0.0001)).toBe('1.0E-4');
    expect(javaDouble(Number.NaN)).toBe('NaN');
    expect(javaDouble(-2)).toBe('-2.0');
  });
});
