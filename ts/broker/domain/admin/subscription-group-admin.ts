// The rules of the subscription-group admin requests (Java `AdminBrokerProcessor` with
// `SubscriptionGroupManager`): the SubscriptionGroupConfig body of UPDATE_AND_CREATE_SUBSCRIPTIONGROUP
// (and the list form), the attribute alteration (`AttributeUtil.alterCurrentAttributes`), and the
// pages of GET_ALL_SUBSCRIPTIONGROUP_CONFIG (`subGroupTable`, enableSplitMetadata).
// Pure. Depends on the meta domain and ts/common/fastjson.ts.

import { parseFastJson } from '../../../common/fastjson.js';
import type { DataVersion } from '../../../protocol/route-types.js';
import { asRecord, decodeDataVersion, numberOr } from '../meta/meta-config-store.js';
import {
  decodeSubscriptionGroupConfig,
  type SubscriptionGroupConfig,
  type SubscriptionGroupDocument,
} from '../meta/subscription-group-manager.js';

/** Java `SubscriptionGroupAttributes.ALL`: no attribute is defined for groups in 5.x. */
export const SUBSCRIPTION_GROUP_ATTRIBUTES: ReadonlySet<string> = new Set();

/** BrokerConfig `splitMetadataSize`: at most this many groups per GET_ALL_SUBSCRIPTIONGROUP_CONFIG page. */
export const SPLIT_METADATA_SIZE = 2000;

/** The SubscriptionGroupConfig JSON of an UPDATE_AND_CREATE_SUBSCRIPTIONGROUP body; null without a body. */
export function decodeSubscriptionGroupBody(body: Buffer | null): SubscriptionGroupConfig | null {
  if (body === null || body.length === 0) return null;
  return decodeGroup(parseFastJson(body.toString('utf8')));
}

/** The `SubscriptionGroupList` body of UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST: `{"groupConfigList":[…]}`. */
export function decodeSubscriptionGroupListBody(body: Buffer | null): SubscriptionGroupConfig[] {
  if (body === null || body.length === 0) return [];
  const list = asRecord(parseFastJson(body.toString('utf8'))).groupConfigList;
  return Array.isArray(list) ? list.map(decodeGroup) : [];
}

function decodeGroup(raw: unknown): SubscriptionGroupConfig {
  const name = asRecord(raw).groupName;
  return decodeSubscriptionGroupConfig(typeof name === 'string' ? name : '', raw);
}

/**
 * Java `AttributeUtil.alterCurrentAttributes`: `+key` adds or updates, `-key` deletes (only
 * `+key` when creating), each key once and only a known one. Throws Java's message otherwise.
 */
export function alterAttributes(
  create: boolean,
  current: Readonly<Record<string, string>>,
  requested: Readonly<Record<string, string>>,
  known: ReadonlySet<string> = SUBSCRIPTION_GROUP_ATTRIBUTES,
): Record<string, string> {
  const seen = new Set<string>();
  const result: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(requested)) {
    const realKey = key.slice(1);
    if (realKey === '' || realKey.includes('+') || realKey.includes('-')) throw new Error('kv string format wrong.');
    if (seen.has(realKey)) throw new Error(`alter duplication key. key: ${realKey}`);
    seen.add(realKey);
    const add = key.startsWith('+');
    if (create && !add) throw new Error(`only add attribute is supported while creating topic. key: ${realKey}`);
    if (!add && !key.startsWith('-')) throw new Error(`wrong format key: ${realKey}`);
    if (!add && !Object.hasOwn(current, realKey)) throw new Error(`attempt to delete a nonexistent key: ${realKey}`);
    if (!known.has(realKey)) throw new Error(`unsupported key: ${realKey}`);
    if (add) result[realKey] = value;
    else delete result[realKey];
  }
  return result;
}

/** GET_ALL_SUBSCRIPTIONGROUP_CONFIG's paging header fields (absent when the client does not page). */
export interface GroupPageRequest {
  readonly dataVersion?: string;
  readonly groupSeq?: number;
  readonly maxGroupNum?: number;
}

/**
 * The SubscriptionGroupWrapper to answer with: the whole document when nothing asks for a page;
 * otherwise the groups [groupSeq, groupSeq + n) in name order (from 0 when the client's data
 * version is missing or stale) with their forbidden entries.
 */
export function subscriptionGroupPage(
  document: SubscriptionGroupDocument,
  request: GroupPageRequest,
): SubscriptionGroupDocument {
  const { dataVersion, groupSeq, maxGroupNum } = request;
  if (dataVersion === undefined && groupSeq === undefined && maxGroupNum === undefined) return document;
  const sameVersion =
    dataVersion !== undefined && dataVersion.trim() !== '' && sameDataVersion(dataVersion, document.dataVersion);
  const begin = sameVersion ? Math.max(0, groupSeq ?? 0) : 0;
  const count = Math.min(SPLIT_METADATA_SIZE, maxGroupNum ?? Number.MAX_SAFE_INTEGER);
  const names = Object.keys(document.subscriptionGroupTable)
    .sort()
    .slice(begin, begin + Math.max(0, count));
  const subscriptionGroupTable: SubscriptionGroupDocument['subscriptionGroupTable'] = {};
  const forbiddenTable: SubscriptionGroupDocument['forbiddenTable'] = {};
  for (const name of names) {
    const config = document.subscriptionGroupTable[name];
    if (config !== undefined) subscriptionGroupTable[name] = config;
    const forbidden = document.forbiddenTable[name];
    if (forbidden !== undefined) forbiddenTable[name] = forbidden;
  }
  return { dataVersion: document.dataVersion, forbiddenTable, subscriptionGroupTable };
}

/** Java `DataVersion.equals` of the client's JSON and ours. */
function sameDataVersion(json: string, current: DataVersion): boolean {
  const raw = asRecord(parseFastJson(json));
  const theirs = decodeDataVersion(raw, { counter: -1, stateVersion: -1, timestamp: -1 });
  return (
    theirs.stateVersion === current.stateVersion &&
    theirs.timestamp === current.timestamp &&
    numberOr(raw.counter, Number.NaN) === current.counter
  );
}
