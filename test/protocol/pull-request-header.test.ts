// Specification of the PULL_MESSAGE request header: the Java and Go forms decode, missing required
// fields fail as Java's decoder does, empty optionals count as absent, and the sysFlag bits.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeaderFieldError } from '../../ts/protocol/header-fields.js';
import {
  decodePullMessageRequestHeader,
  encodePullMessageRequestHeader,
  isTagType,
  type PullMessageRequestHeader,
} from '../../ts/protocol/pull-request-header.js';
import {
  buildPullSysFlag,
  clearCommitOffsetFlag,
  hasClassFilterFlag,
  hasCommitOffsetFlag,
  hasLitePullFlag,
  hasSubscriptionFlag,
  hasSuspendFlag,
  PullSysFlag,
} from '../../ts/protocol/pull-sys-flag.js';

/** As the Java push consumer sends it (PullAPIWrapper#pullKernelImpl). */
const javaFields = {
  consumerGroup: 'please_rename_unique_group_name',
  topic: 'TopicTest',
  queueId: '1',
  queueOffset: '42',
  maxMsgNums: '32',
  sysFlag: '3',
  commitOffset: '40',
  suspendTimeoutMillis: '15000',
  subscription: 'TagA || TagB',
  subVersion: '1717000000000',
  expressionType: 'TAG',
  maxMsgBytes: '2147483647',
  bname: 'broker-a',
};

/** As client-go's PullMessageRequestHeader.Encode writes it: every key, empty strings included. */
const goFields = {
  consumerGroup: 'gid',
  topic: 'TopicTest',
  queueId: '0',
  queueOffset: '0',
  maxMsgNums: '32',
  sysFlag: '2',
  commitOffset: '0',
  suspendTimeoutMillis: '20000',
  subscription: '',
  subVersion: '0',
  expressionType: '',
};

const REQUIRED = [
  'consumerGroup',
  'topic',
  'queueId',
  'queueOffset',
  'maxMsgNums',
  'sysFlag',
  'commitOffset',
  'suspendTimeoutMillis',
  'subVersion',
] as const;

describe('pull: request header', () => {
  it('decodes the Java form', () => {
    expect(decodePullMessageRequestHeader(javaFields)).toEqual({
      consumerGroup: 'please_rename_unique_group_name',
      topic: 'TopicTest',
      queueId: 1,
      queueOffset: 42,
      maxMsgNums: 32,
      sysFlag: 3,
      commitOffset: 40,
      suspendTimeoutMillis: 15000,
      subscription: 'TagA || TagB',
      subVersion: 1717000000000,
      expressionType: 'TAG',
      maxMsgBytes: 2147483647,
      brokerName: 'broker-a',
    });
  });

  it('decodes the Go form: 20 s suspend, empty subscription and expression type count as absent (TAG)', () => {
    const header = decodePullMessageRequestHeader(goFields);
    expect(header.suspendTimeoutMillis).toBe(20000);
    expect(header.subscription).toBeUndefined();
    expect(header.expressionType).toBe('TAG');
    expect(header.maxMsgBytes).toBeUndefined();
    expect(hasSuspendFlag(header.sysFlag)).toBe(true);
    expect(hasCommitOffsetFlag(header.sysFlag)).toBe(false);
  });

  it('keeps SQL92 and reads the proxy fields', () => {
    const header = decodePullMessageRequestHeader({
      ...javaFields,
      expressionType: 'SQL92',
      subscription: 'a > 1',
      requestSource: '-1',
      proxyFrowardClientId: 'cid',
    });
    expect(header.expressionType).toBe('SQL92');
    expect(header.requestSource).toBe(-1);
    expect(header.proxyForwardClientId).toBe('cid');
  });

  it.each(REQUIRED)('fails without the required field %s', (name) => {
    const fields: Record<string, string> = { ...javaFields };
    delete fields[name];
    expect(() => decodePullMessageRequestHeader(fields)).toThrow(`the custom field <${name}> is null`);
    try {
      decodePullMessageRequestHeader(fields);
    } catch (error) {
      expect(error).toBeInstanceOf(HeaderFieldError);
      expect((error as HeaderFieldError).field).toBe(name);
    }
  });

  it('fails on malformed numbers: not decimal, an int field out of int32 range', () => {
    expect(() => decodePullMessageRequestHeader({ ...javaFields, queueOffset: '4x' })).toThrow(HeaderFieldError);
    expect(() => decodePullMessageRequestHeader({ ...javaFields, queueId: '2147483648' })).toThrow(/queueId/);
    expect(() => decodePullMessageRequestHeader({ ...javaFields, maxMsgNums: '' })).toThrow(/maxMsgNums/);
    expect(() => decodePullMessageRequestHeader({ ...javaFields, maxMsgBytes: '1.5' })).toThrow(/maxMsgBytes/);
    expect(decodePullMessageRequestHeader({ ...javaFields, queueOffset: '+7' }).queueOffset).toBe(7);
  });

  it('round-trips through extFields (property)', () => {
    const int32 = fc.integer({ min: -2147483648, max: 2147483647 });
    const long = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
    const text = fc.string({ minLength: 1 });
    const header = fc.record(
      {
        consumerGroup: fc.string(),
        topic: fc.string(),
        queueId: int32,
        queueOffset: long,
        maxMsgNums: int32,
        sysFlag: int32,
        commitOffset: long,
        suspendTimeoutMillis: long,
        subVersion: long,
        expressionType: fc.constantFrom('TAG', 'SQL92'),
        subscription: text,
        maxMsgBytes: int32,
        requestSource: int32,
        proxyForwardClientId: text,
        brokerName: text,
      },
      { requiredKeys: [...REQUIRED, 'expressionType'] },
    );
    fc.assert(
      fc.property(header, (h) => {
        const value: PullMessageRequestHeader = h;
        const encoded = encodePullMessageRequestHeader(value);
        for (const field of Object.values(encoded)) expect(typeof field).toBe('string');
        expect(decodePullMessageRequestHeader(encoded)).toEqual(value);
      }),
    );
  });

  it('treats absent, blank and TAG as the tag type', () => {
    expect([undefined, null, '', ' ', 'TAG'].map(isTagType)).toEqual([true, true, true, true, true]);
    expect(isTagType('SQL92')).toBe(false);
  });
});

describe('pull: sysFlag', () => {
  it('has the Java bit values', () => {
    expect(PullSysFlag).toEqual({
      FLAG_COMMIT_OFFSET: 0x1,
      FLAG_SUSPEND: 0x2,
      FLAG_SUBSCRIPTION: 0x4,
      FLAG_CLASS_FILTER: 0x8,
      FLAG_LITE_PULL_MESSAGE: 0x10,
    });
  });

  it('builds and reads each bit', () => {
    const all = buildPullSysFlag({
      commitOffset: true,
      suspend: true,
      subscription: true,
      classFilter: true,
      litePull: true,
    });
    expect(all).toBe(0x1f);
    expect(
      [hasCommitOffsetFlag, hasSuspendFlag, hasSubscriptionFlag, hasClassFilterFlag, hasLitePullFlag].map((f) =>
        f(all),
      ),
    ).toEqual([true, true, true, true, true]);
    expect(buildPullSysFlag({ suspend: true })).toBe(2);
    expect(buildPullSysFlag({ commitOffset: true, suspend: true })).toBe(3);
    expect(clearCommitOffsetFlag(3)).toBe(2);
    expect(hasSuspendFlag(clearCommitOffsetFlag(3))).toBe(true);
    expect(hasSubscriptionFlag(3)).toBe(false);
  });
});
