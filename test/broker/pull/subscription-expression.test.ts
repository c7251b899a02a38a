// Specification of pull subscriptions: FilterAPI's TAG parsing (split on "||", trimmed, "*" = all,
// codes = Java String.hashCode), SQL92 expressions passed on as is, and the broker's tag-code filter.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildSubscription,
  buildTagSubscription,
  matchesTagCode,
  storeTagCodes,
  SUB_ALL,
  type SubscriptionData,
} from '../../../ts/broker/domain/pull/subscription-expression.js';
import { javaStringHashCode, tagsCode } from '../../../ts/protocol/tag-code.js';
import { ResponseCode } from '../../../ts/remoting/codes.js';
import { responseCodeOf } from '../../../ts/broker/api/broker-error-responses.js';
import type { BuildSubscriptionResult } from '../../../ts/broker/domain/pull/subscription-expression.js';

/** A failed build as the Remoting front answers it: the failure kind as its response code. */
function inRemoting(result: BuildSubscriptionResult): object {
  return result.ok ? result : { ...result, responseCode: responseCodeOf(result.code) };
}

function parsed(subString: string | undefined, expressionType?: string): SubscriptionData {
  const result = buildSubscription('T', subString, expressionType, 7);
  if (!result.ok) throw new Error(`expected a subscription, got ${result.message}`);
  return result.subscription;
}

describe('pull: subscription expression', () => {
  it.each([
    { sub: undefined, subString: '*', tags: [] },
    { sub: '', subString: '*', tags: [] },
    { sub: '*', subString: '*', tags: [] },
    { sub: 'TagA', subString: 'TagA', tags: ['TagA'] },
    { sub: 'TagA || TagB', subString: 'TagA || TagB', tags: ['TagA', 'TagB'] },
    { sub: ' TagA ||TagB||  TagC ', subString: ' TagA ||TagB||  TagC ', tags: ['TagA', 'TagB', 'TagC'] },
    { sub: 'TagA || TagA', subString: 'TagA || TagA', tags: ['TagA'] },
    { sub: 'TagA ||  || TagB ||', subString: 'TagA ||  || TagB ||', tags: ['TagA', 'TagB'] },
    { sub: 'TagA | TagB', subString: 'TagA | TagB', tags: ['TagA | TagB'] },
    { sub: '|||', subString: '|||', tags: ['|'] },
    { sub: '   ', subString: '   ', tags: [] },
  ])('parses $sub', ({ sub, subString, tags }) => {
    const subscription = parsed(sub);
    expect(subscription).toEqual({
      topic: 'T',
      subString,
      tagsSet: tags,
      codeSet: tags.map(javaStringHashCode),
      subVersion: 7,
      expressionType: 'TAG',
      classFilterMode: false,
    });
  });

  it('uses the Java String.hashCode as the tag code', () => {
    expect(parsed('TagA').codeSet).toEqual([0x27a807]);
    expect(parsed('TagA || TagB').codeSet).toEqual([0x27a807, 0x27a808]);
    // An int32 overflow: "polygenelubricants".hashCode() == Integer.MIN_VALUE.
    expect(parsed('polygenelubricants').codeSet).toEqual([-2147483648]);
  });

  it('fails to parse an expression of only separators, as Java split does', () => {
    for (const sub of ['||', '||||']) {
      const result = buildTagSubscription('T', sub);
      expect(inRemoting(result)).toMatchObject({
        ok: false,
        reason: 'parse-failed',
        responseCode: ResponseCode.SUBSCRIPTION_PARSE_FAILED,
      });
    }
  });

  it('treats blank or TAG expression types as TAG', () => {
    expect(parsed('TagA', 'TAG').tagsSet).toEqual(['TagA']);
    expect(parsed('TagA', '').tagsSet).toEqual(['TagA']);
    expect(parsed('TagA', ' ').tagsSet).toEqual(['TagA']);
  });

  it('keeps an SQL92 expression as is (the pull service compiles it), an empty one a parse failure', () => {
    expect(buildSubscription('T', 'a > 1', 'SQL92', 7)).toEqual({
      ok: true,
      subscription: {
        topic: 'T',
        subVersion: 7,
        expressionType: 'SQL92',
        classFilterMode: false,
        subString: 'a > 1',
        tagsSet: [],
        codeSet: [],
      },
    });
    expect(inRemoting(buildSubscription('T', '', 'SQL92'))).toMatchObject({
      ok: false,
      reason: 'parse-failed',
      responseCode: ResponseCode.SUBSCRIPTION_PARSE_FAILED,
    });
    expect(buildSubscription('T', undefined, 'SQL92')).toMatchObject({ ok: false, reason: 'parse-failed' });
  });

  it('leaves SQL92 subscriptions to the property filter: no tag codes for the store', () => {
    const sql = parsed('a > 1', 'SQL92');
    expect(storeTagCodes(sql)).toBeNull();
    expect(matchesTagCode(sql, 12345)).toBe(true);
  });

  it('every tag of a parsed expression has its code in the code set (property)', () => {
    const tag = fc.string({ minLength: 1 }).filter((t) => !t.includes('||') && t.trim() !== '' && t.trim() !== '|');
    fc.assert(
      fc.property(fc.array(tag, { minLength: 1, maxLength: 5 }), (tags) => {
        const subscription = parsed(tags.join(' || '));
        for (const t of tags) {
          expect(subscription.tagsSet).toContain(t.trim());
          expect(subscription.codeSet).toContain(javaStringHashCode(t.trim()));
        }
      }),
    );
  });
});

describe('pull: tag filter', () => {
  const tagA = tagsCode('TagA');
  const tagB = tagsCode('TagB');
  const tagC = tagsCode('TagC');

  it('matches the codes of the subscribed tags only', () => {
    const subscription = parsed('TagA || TagB');
    expect(matchesTagCode(subscription, tagA)).toBe(true);
    expect(matchesTagCode(subscription, tagB)).toBe(true);
    expect(matchesTagCode(subscription, tagC)).toBe(false);
    expect(matchesTagCode(subscription, 0)).toBe(false);
  });

  it('matches everything for "*", no subscription, an unknown code, class filter mode, or a non-TAG type', () => {
    expect(matchesTagCode(parsed('*'), tagC)).toBe(true);
    expect(matchesTagCode(parsed(undefined), 0)).toBe(true);
    expect(matchesTagCode(undefined, tagC)).toBe(true);
    expect(matchesTagCode(null, tagC)).toBe(true);
    expect(matchesTagCode(parsed('TagA'), undefined)).toBe(true);
    expect(matchesTagCode(parsed('TagA'), null)).toBe(true);
    expect(matchesTagCode({ ...parsed('TagA'), classFilterMode: true }, tagC)).toBe(true);
    expect(matchesTagCode({ ...parsed('TagA'), expressionType: 'SQL92' }, tagC)).toBe(true);
  });

  it('compares the code truncated to an int, as tagsCode.intValue() does', () => {
    const subscription = parsed('TagA');
    expect(matchesTagCode(subscription, tagA + 2 ** 32)).toBe(true);
    expect(matchesTagCode(subscription, tagA - 2 ** 32)).toBe(true);
  });

  it('matches a heartbeat subscription (same shape)', () => {
    const heartbeat: SubscriptionData = {
      topic: 'T',
      subString: 'TagB',
      tagsSet: ['TagB'],
      codeSet: [tagB],
      subVersion: 1,
      expressionType: 'TAG',
      classFilterMode: false,
    };
    expect(matchesTagCode(heartbeat, tagB)).toBe(true);
    expect(matchesTagCode(heartbeat, tagA)).toBe(false);
  });

  it('gives the store its code list, or null for all', () => {
    expect(storeTagCodes(parsed('TagA || TagB'))).toEqual([tagA, tagB]);
    expect(storeTagCodes(parsed('*'))).toBeNull();
    expect(storeTagCodes(undefined)).toBeNull();
    expect(storeTagCodes(parsed('  '))).toEqual([]);
    expect(SUB_ALL).toBe('*');
  });
});
