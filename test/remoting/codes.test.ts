// Specification of the code tables: names match Java's, lookups go both ways, unknown languages
// are OTHER. Covers ts/remoting/codes.ts and the request/response constructors.
import { describe, expect, it } from 'vitest';
import {
  CURRENT_VERSION,
  LanguageCode,
  RequestCode,
  ResponseCode,
  languageFromCode,
  languageFromName,
  requestCodeName,
  responseCodeName,
} from '../../ts/remoting/codes.js';
import {
  createRequest,
  createResponse,
  isOneway,
  isResponse,
  nextOpaqueAfter,
} from '../../ts/remoting/remoting-command.js';

describe('codes', () => {
  it('has the RocketMQ numbers the clients send', () => {
    expect(RequestCode).toMatchObject({
      SEND_MESSAGE: 10,
      PULL_MESSAGE: 11,
      HEART_BEAT: 34,
      SEND_MESSAGE_V2: 310,
      SEND_BATCH_MESSAGE: 320,
      PUT_KV_CONFIG: 100,
      GET_KV_CONFIG: 101,
      DELETE_KV_CONFIG: 102,
      REGISTER_BROKER: 103,
      UNREGISTER_BROKER: 104,
      GET_ROUTEINFO_BY_TOPIC: 105,
      GET_BROKER_CLUSTER_INFO: 106,
      GET_ALL_TOPIC_LIST_FROM_NAMESERVER: 206,
      DELETE_TOPIC_IN_NAMESRV: 216,
      GET_TOPICS_BY_CLUSTER: 224,
      BROKER_HEARTBEAT: 904,
      POP_MESSAGE: 200050,
    });
    expect(ResponseCode).toMatchObject({
      SUCCESS: 0,
      SYSTEM_ERROR: 1,
      REQUEST_CODE_NOT_SUPPORTED: 3,
      QUERY_NOT_FOUND: 22,
      GO_AWAY: 1500,
    });
    expect(CURRENT_VERSION).toBe(479);
  });

  it('looks names up by code, and unknown codes give undefined', () => {
    for (const [name, code] of Object.entries(RequestCode)) expect(requestCodeName(code)).toBe(name);
    for (const [name, code] of Object.entries(ResponseCode)) expect(responseCodeName(code)).toBe(name);
    expect(requestCodeName(206)).toBe('GET_ALL_TOPIC_LIST_FROM_NAMESERVER');
    expect(responseCodeName(206)).toBe('CONSUMER_NOT_ONLINE');
    expect(requestCodeName(99_999)).toBeUndefined();
  });

  it('maps language codes both ways, unknown ones to OTHER (docs/remoting-protocol.md §6 pitfall 4)', () => {
    expect(LanguageCode.NODE_JS).toBe(13);
    expect(languageFromCode(9)).toBe('GO');
    expect(languageFromCode(13)).toBe('NODE_JS');
    expect(languageFromCode(200)).toBe('OTHER');
    expect(languageFromName('RUST')).toBe('RUST');
    expect(languageFromName('toString')).toBe('OTHER');
    expect(languageFromName(undefined)).toBe('OTHER');
  });
});

describe('remoting command', () => {
  it('creates requests with fresh opaques and responses that echo them', () => {
    const first = createRequest(RequestCode.HEART_BEAT);
    const second = createRequest(RequestCode.HEART_BEAT, { a: '1' }, Buffer.from('x'));
    expect(second.opaque).toBe(nextOpaqueAfter(first.opaque));
    expect(isResponse(first)).toBe(false);
    const response = createResponse(second, ResponseCode.SUCCESS, 'ok');
    expect(response).toEqual({
      code: 0,
      language: 'JAVA',
      version: 479,
      opaque: second.opaque,
      flag: 1,
      remark: 'ok',
      extFields: {},
      body: null,
      serializeType: 'JSON',
    });
    expect(isResponse(response)).toBe(true);
    expect(isOneway({ ...first, flag: 2 })).toBe(true);
  });

  it('wraps the opaque counter as a signed int32', () => {
    expect(nextOpaqueAfter(0x7fff_ffff)).toBe(-0x8000_0000);
    expect(nextOpaqueAfter(-1)).toBe(0);
  });
});
