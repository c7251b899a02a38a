// fastjson's dialect: unquoted integer keys are read, and written back where legacy clients expect them.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFastJson, stringifyLegacy } from '../../ts/common/fastjson.js';

describe('fastjson dialect', () => {
  it('reads unquoted integer keys, outside strings only', () => {
    expect(parseFastJson('{"brokerAddrs":{0:"127.0.0.1:10911",1:"a,2:b"}}')).toEqual({
      brokerAddrs: { 0: '127.0.0.1:10911', 1: 'a,2:b' },
    });
    expect(parseFastJson('{"offsetTable":{ 3 : 7 ,-1:2}}')).toEqual({ offsetTable: { 3: 7, '-1': 2 } });
  });

  it('writes integer keys unquoted only where asked', () => {
    const route = { brokerDatas: [{ brokerAddrs: { 0: 'a:1' }, brokerName: 'b' }], queueDatas: [] };
    expect(stringifyLegacy(route, ['brokerDatas.*.brokerAddrs'])).toBe(
      '{"brokerDatas":[{"brokerAddrs":{0:"a:1"},"brokerName":"b"}],"queueDatas":[]}',
    );
  });

  it('reads back whatever JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(JSON.stringify(parseFastJson(text))).toBe(text);
      }),
    );
  });
});
