// Subscription expressions (Java `FilterAPI.build`, `MessageSelector`): a tag expression, "*" for every
// message or tags joined by "||" ("TagA || TagB"), which the broker filters by tag hash code and the
// client again by the exact tag (Java `PullAPIWrapper#processPullResult`), since two tags can share a
// hash; or an SQL92 property filter (`MessageSelector.bySql`), which only the broker evaluates (it needs
// enablePropertyFilter=true). Depends on ts/protocol/tag-code.ts, ../heartbeat-data.ts, ../client-error.ts.

import { javaStringHashCode } from '../../protocol/tag-code.js';
import { ResponseCode } from '../../remoting/codes.js';
import { ClientError } from '../client-error.js';
import type { SubscriptionData } from '../heartbeat-data.js';

/** Java `SubscriptionData.SUB_ALL`. */
export const SUB_ALL = '*';

/** Java `MessageSelector`: an expression and its type. */
export interface MessageSelector {
  readonly type: 'TAG' | 'SQL92';
  readonly expression: string;
}

export const MessageSelector = {
  /** An SQL92 filter on the message's properties (and TAGS), e.g. "a > 5 AND region = 'eu'". */
  bySql: (sql: string): MessageSelector => ({ type: 'SQL92', expression: sql }),
  /** A tag expression: "*", or tags joined by "||". */
  byTag: (tags: string): MessageSelector => ({ type: 'TAG', expression: tags }),
} as const;

/** What a consumer subscribes with: a tag expression string, or a MessageSelector. */
export type SubscriptionExpression = string | MessageSelector;

/**
 * The subscription of `topic` for `expression` ("*", "", tags joined by "||", or a selector). An SQL92
 * expression is sent as is; only an empty one is refused here (the broker compiles it).
 */
export function buildSubscriptionData(
  topic: string,
  selector: SubscriptionExpression,
  subVersion: number,
): SubscriptionData {
  if (typeof selector !== 'string' && selector.type === 'SQL92') {
    if (selector.expression.trim() === '')
      throw new ClientError(ResponseCode.SUBSCRIPTION_PARSE_FAILED, "Expression can't be null! SQL92");
    const subString = selector.expression;
    return { classFilterMode: false, topic, subString, tagsSet: [], codeSet: [], subVersion, expressionType: 'SQL92' };
  }
  const expression = typeof selector === 'string' ? selector : selector.expression;
  const trimmed = expression.trim();
  if (trimmed === '' || trimmed === SUB_ALL) {
    return {
      classFilterMode: false,
      topic,
      subString: SUB_ALL,
      tagsSet: [],
      codeSet: [],
      subVersion,
      expressionType: 'TAG',
    };
  }
  const tags = trimmed
    .split('||')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
  if (tags.length === 0)
    throw new ClientError(ResponseCode.SUBSCRIPTION_PARSE_FAILED, `subString split error: ${expression}`);
  const tagsSet = [...new Set(tags)];
  return {
    classFilterMode: false,
    topic,
    subString: trimmed,
    tagsSet,
    codeSet: tagsSet.map((tag) => javaStringHashCode(tag)),
    subVersion,
    expressionType: 'TAG',
  };
}

/** Whether a message with `tag` passes the subscription (the client-side re-filter). */
export function matchesSubscription(subscription: SubscriptionData, tag: string | undefined): boolean {
  if (subscription.tagsSet.length === 0) return true;
  return tag !== undefined && subscription.tagsSet.includes(tag);
}
