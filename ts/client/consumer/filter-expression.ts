// Tag filter expressions (Java `FilterAPI.buildSubscriptionData`): "*" for every message, or tags
// joined by "||" ("TagA || TagB"). The broker filters by tag hash code; the client filters again by
// the exact tag (Java `PullAPIWrapper#processPullResult`), since two tags can share a hash.
// Depends on ts/protocol/tag-code.ts, ../heartbeat-data.ts, ../client-error.ts.

import { javaStringHashCode } from '../../protocol/tag-code.js';
import { ResponseCode } from '../../remoting/codes.js';
import { ClientError } from '../client-error.js';
import type { SubscriptionData } from '../heartbeat-data.js';

/** Java `SubscriptionData.SUB_ALL`. */
export const SUB_ALL = '*';

/** The subscription of `topic` for `expression` ("*", "", or tags joined by "||"). */
export function buildSubscriptionData(topic: string, expression: string, subVersion: number): SubscriptionData {
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
