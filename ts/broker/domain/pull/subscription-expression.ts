// The TAG subscription expression of a pull (Java `FilterAPI.build` / `buildSubscriptionData`) and the
// broker-side tag filter (Java `ExpressionMessageFilter.isMatchedByConsumeQueue` for TAG): tags are
// compared by their Java String.hashCode, the code the ConsumeQueue unit carries (docs/store-format.md §7.2);
// clients re-check the tag string. SQL92 is reported as unsupported. Depends on ts/protocol/tag-code.ts
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
      /** `parse-failed`: Java throws in FilterAPI.build; `unsupported`: a non-TAG type (we have no property filter). */
      readonly reason: 'parse-failed' | 'unsupported';
      /**
       * What PullMessageProcessor answers: SUBSCRIPTION_PARSE_FAILED, or SYSTEM_ERROR when
       * `enablePropertyFilter` is off.
       */
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

/** `FilterAPI.build`: TAG (or no type) parses the tags; any other type is reported unsupported. */
export function buildSubscription(
  topic: string,
  subString: string | undefined,
  expressionType: string | undefined,
  subVersion = 0,
): BuildSubscriptionResult {
  if (isTagType(expressionType)) return buildTagSubscription(topic, subString, subVersion);
  if (subString === undefined || subString === '') return parseFailed(`Expression can't be null! ${expressionType}`);
  // Compat: Java accepts SQL92 here when enablePropertyFilter=true (bloom filter + commit log
  // evaluation); we have no property filter yet, which Java answers with SYSTEM_ERROR.
  return {
    ok: false,
    reason: 'unsupported',
    code: BrokerErrorCode.SYSTEM_ERROR,
    message: `The broker does not support consumer to filter message by ${expressionType}`,
  };
}

/** The parts of a subscription the tag filter reads; a heartbeat's SubscriptionData fits. */
export type TagFilter = Pick<SubscriptionData, 'subString' | 'codeSet' | 'expressionType' | 'classFilterMode'>;

/**
 * `ExpressionMessageFilter.isMatchedByConsumeQueue` for TAG: true without a subscription, in class
 * filter mode, for an unknown tags code, or for `*`; otherwise whether the code set holds the code
 * truncated to an int (`tagsCode.intValue()`). A non-TAG subscription matches everything here, as
 * Java does when it has no compiled filter.
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
