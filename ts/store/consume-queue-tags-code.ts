// What the store derives from a record's property string when it dispatches it: the tags code of its
// ConsumeQueue unit (the TAGS hash, or for SCHEDULE_TOPIC_XXXX the deliver time of its DELAY level),
// its index keys, and the delay-level table (`messageDelayLevel`). The same rules as
// crates/store/src/properties.rs and delay_level.rs, for the memory store. Depends on common/tag-code.ts.

import { javaStringHashCode } from '../protocol/tag-code.js';
import { RMQ_SYS_SCHEDULE_TOPIC } from '../protocol/topics.js';
import { StoreError, StoreErrorCode } from './store-errors.js';

/** RocketMQ's default `messageDelayLevel`. */
export const DEFAULT_MESSAGE_DELAY_LEVEL = '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const INT32_PATTERN = /^[+-]?\d+$/;

/**
 * The value of property `name` as the native store reads it: pairs split on \x02, name and value on the
 * first \x01; pairs with an empty name or value are ignored; a repeated name keeps its last value.
 */
export function findProperty(properties: string, name: string): string | undefined {
  let found: string | undefined;
  for (const pair of properties.split('\x02')) {
    const separator = pair.indexOf('\x01');
    if (separator <= 0 || separator === pair.length - 1) continue;
    if (pair.slice(0, separator) === name) found = pair.slice(separator + 1);
  }
  return found;
}

/** `tagsString2tagsCode`: the Java hash of the whole TAGS value; 0 without tags. */
export function propertiesTagsCode(properties: string): number {
  const tags = findProperty(properties, 'TAGS');
  return tags === undefined ? 0 : javaStringHashCode(tags);
}

/** Parses `messageDelayLevel` ("1s 5s 10m 2h 1d") into delays in ms, index `level - 1`. */
export function parseDelayLevels(messageDelayLevel: string): number[] {
  const items = messageDelayLevel.split(/\s+/).filter((item) => item !== '');
  const delaysMs = items.map((item) => {
    const factor = UNIT_MS[item.slice(-1)];
    const count = Number(item.slice(0, -1));
    if (factor === undefined || item.length < 2 || !/^\d+$/.test(item.slice(0, -1))) {
      throw new StoreError(StoreErrorCode.INVALID_ARG, `messageDelayLevel item "${item}"`);
    }
    return count * factor;
  });
  if (delaysMs.length === 0) throw new StoreError(StoreErrorCode.INVALID_ARG, 'messageDelayLevel is empty');
  return delaysMs;
}

/**
 * The tags code of a dispatched record: for SCHEDULE_TOPIC_XXXX records with DELAY > 0 the deliver time
 * (store time + the level's delay, the level clamped to the highest), else the TAGS hash.
 */
export function dispatchTagsCode(
  topic: string,
  properties: string,
  storeTimestampMs: number,
  delayLevelsMs: readonly number[],
): number {
  if (topic === RMQ_SYS_SCHEDULE_TOPIC) {
    const value = findProperty(properties, 'DELAY')?.trim();
    const level = value !== undefined && INT32_PATTERN.test(value) ? Number(value) : Number.NaN;
    if (Number.isInteger(level) && Math.abs(level) <= 0x7fffffff) {
      const clamped = Math.min(level, delayLevelsMs.length);
      if (clamped > 0) return storeTimestampMs + (delayLevelsMs[clamped - 1] ?? 1000);
    }
  }
  return propertiesTagsCode(properties);
}

/** The keys a record is indexed under (`IndexService.buildIndex`): UNIQ_KEY, then each KEYS word. */
export function indexKeys(properties: string): string[] {
  const keys: string[] = [];
  const uniqKey = findProperty(properties, 'UNIQ_KEY');
  if (uniqKey !== undefined) keys.push(uniqKey);
  const words = findProperty(properties, 'KEYS');
  if (words !== undefined) for (const key of words.split(' ')) if (key !== '') keys.push(key);
  return keys;
}
