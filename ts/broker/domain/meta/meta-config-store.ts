// The persistence port of the broker's metadata managers (Java `ConfigManager.load/persist`):
// each manager reads its JSON document once at start and writes it whole. infra/meta implements it
// with an atomic file; tests pass an in-memory one. Plus `DataVersion` helpers. Depends on protocol/route-types.

import type { DataVersion } from '../../../protocol/route-types.js';

/** One JSON document (topics.json, subscriptionGroup.json, consumerOffset.json …). */
export interface MetaConfigStore {
  /** The parsed document, or null when there is none yet. Throws when it exists but cannot be read. */
  load(): unknown;
  save(document: object): void;
}

/** A document held in memory: for tests and for brokers run without a store directory. */
export class MemoryMetaConfigStore implements MetaConfigStore {
  saveCount = 0;
  constructor(public document: unknown = null) {}

  load(): unknown {
    return this.document === null ? null : structuredClone(this.document);
  }

  save(document: object): void {
    this.document = structuredClone(document);
    this.saveCount += 1;
  }
}

/** Java `new DataVersion()`: counter 0, stateVersion 0, timestamp now. */
export function newDataVersion(nowMs: number): DataVersion {
  return { counter: 0, stateVersion: 0, timestamp: nowMs };
}

/** Java `DataVersion.nextVersion(stateVersion)`: counter + 1, timestamp now. */
export function nextDataVersion(current: DataVersion, nowMs: number, stateVersion = 0): DataVersion {
  return { counter: current.counter + 1, stateVersion, timestamp: nowMs };
}

/** Reads a stored `dataVersion`; missing or malformed fields keep the fallback's values. */
export function decodeDataVersion(raw: unknown, fallback: DataVersion): DataVersion {
  const value = asRecord(raw);
  return {
    counter: numberOr(value.counter, fallback.counter),
    stateVersion: numberOr(value.stateVersion, fallback.stateVersion),
    timestamp: numberOr(value.timestamp, fallback.timestamp),
  };
}

/** Field names sorted, as fastjson writes a DataVersion bean. */
export function encodeDataVersion(version: DataVersion): DataVersion {
  return { counter: version.counter, stateVersion: version.stateVersion, timestamp: version.timestamp };
}

// Decoding helpers shared by the managers: fastjson fills absent bean fields with their defaults
// and ignores unknown ones, so decoding is lenient field by field.

export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function numberOr(value: unknown, fallback: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  return fallback;
}

export function booleanOr(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

export function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

export function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(asRecord(value))) {
    if (typeof entry === 'string') out[key] = entry;
  }
  return out;
}
