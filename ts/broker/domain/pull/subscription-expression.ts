// The TAG subscription expression of a pull (Java `FilterAPI.build` / `buildSubscriptionData`) and the
// broker-side tag filter (Java `ExpressionMessageFilter.isMatchedByConsumeQueue` for TAG): tags are
// compared by their Java String.hashCode, the code the ConsumeQueue unit carries (docs/store-format.md §7.2);
// clients re-check the tag string. An SQL92 expression is passed on as is. Depends on ts/protocol/tag-code.ts
// and ../broker-error.ts.

import { javaStringHashCode } from '../../../protocol/tag-code.js';
import { BrokerErrorCode } from '../broker-error.js';
import type { SubscriptionData } from '../client/heartbeat-data.js';
import { ExpressionType, isTagType } from '../../../protocol/pull-request-header.js';

/** `SubscriptionData.SUB_ALL`. */
export const SUB_ALL = '*';

export type { SubscriptionData } from '../client/heartbeat-data.js';

export type BuildSubscriptionResult =
  | { readonly ok: true; readonly subscription: SubscriptionData }
  | {
      readonly ok: false;
      /** Java throws in FilterAPI.build; PullMessageProcessor answers SUBSCRIPTION_PARSE_FAILED. */
      readonly reason: 'parse-failed';
      readonly code: BrokerErrorCode;
      readonly message: string;
    };

const parseFailed = (message: string): BuildSubscriptionResult => ({
  ok: false,
  reason: 'parse-failed',
  code: BrokerErrorCode.SUBSCRIPTION_PARSE_FAILED,
  message,
});

/**
 * `FilterAPI.buildSubscriptionData`: empty or `*` subscribes to all; otherwise the tags split on
 * `||`, trimmed, blanks dropped, each with its hash code. Java's `String.split` drops trailing empty
 * pieces, so an expression of only separators (`||`) is a parse error, while `" "` parses to no tags
 * (and so matches nothing).
 */
export function buildTagSubscription(
  topic: string,
  subString: string | undefined,
  subVersion = 0,
): BuildSubscriptionResult {
  const base = { topic, subVersion, expressionType: ExpressionType.TAG, classFilterMode: false };
  if (subString === undefined || subString === '' || subString === SUB_ALL) {
    return { ok: true, subscription: { ...base, subString: SUB_ALL, tagsSet: [], codeSet: [] } };
  }
  const pieces = javaSplit(subString, '||');
  if (pieces.length === 0) return parseFailed('subString split error');
  const tagsSet: string[] = [];
  for (const piece of pieces) {
    const tag = piece.trim();
    if (tag !== '' && !tagsSet.includes(tag)) tagsSet.push(tag);
  }
  const codeSet = [...new Set(tagsSet.map(javaStringHashCode))];
  return { ok: true, subscription: { ...base, subString, tagsSet, codeSet } };
}

/**
 * `FilterAPI.build`: TAG (or no type) parses the tags; another type (SQL92) keeps its expression as
 * is, for the pull service to compile (ts/broker/domain/filter/).
 */
export function buildSubscription(
  topic: string,
  subString: string | undefined,
  expressionType: string | undefined,
  subVersion = 0,
): BuildSubscriptionResult {
  if (isTagType(expressionType)) return buildTagSubscription(topic, subString, subVersion);
  if (subString === undefined || subString === '') return parseFailed(`Expression can't be null! ${expressionType}`);
  // isTagType is true for an absent type, so one is present here.
  const subscription = {
    topic,
    subVersion,
    expressionType: expressionType ?? ExpressionType.TAG,
    classFilterMode: false,
    subString,
    tagsSet: [],
    codeSet: [],
  };
  return { ok: true, subscription };
}

/** The parts of a subscription the tag filter reads; a heartbeat's SubscriptionData fits. */
export type TagFilter = Pick<SubscriptionData, 'subString' | 'codeSet' | 'expressionType' | 'classFilterMode'>;

/**
 * `ExpressionMessageFilter.isMatchedByConsumeQueue` for TAG: true without a subscription, in class
 * filter mode, for an unknown tags code, or for `*`; otherwise whether the code set holds the code
 * truncated to an int (`tagsCode.intValue()`). A non-TAG subscription matches everything here: its
 * records are filtered by their properties after the read (ts/broker/domain/filter/).
 */
export function matchesTagCode(
  subscription: TagFilter | null | undefined,
  tagsCode: number | null | undefined,
): boolean {
  if (subscription == null || subscription.classFilterMode) return true;
  if (!isTagType(subscription.expressionType)) return true;
  if (tagsCode == null || subscription.subString === SUB_ALL) return true;
  return subscription.codeSet.includes(tagsCode | 0);
}

/** The code set in the form `MessageStore.getMessages` takes (`tagCodes`): null for all. */
export function storeTagCodes(subscription: TagFilter | null | undefined): readonly number[] | null {
  if (subscription == null || subscription.classFilterMode) return null;
  if (!isTagType(subscription.expressionType) || subscription.subString === SUB_ALL) return null;
  return subscription.codeSet;
}

/** Java `String.split(regex)` for a literal separator: trailing empty pieces are removed. */
function javaSplit(text: string, separator: string): string[] {
  const pieces = text.split(separator);
  while (pieces.length > 0 && pieces[pieces.length - 1] === '') pieces.pop();
  return pieces;
}
