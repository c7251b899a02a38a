// Applies a property filter to the records one store read returned (Java `ExpressionMessageFilter
// #isMatchedByCommitLog`, run by the store; here after the read, so a pull stays one store call): the
// matching records are kept in order, the others dropped; the read's nextBeginOffset is unchanged, so
// the consumer still moves past them. Depends on ts/protocol's record layout and property codec.

import { RecordOffset, readInt64 } from '../../../protocol/commit-log-record.js';
import { parseMessageProperties } from '../../../protocol/message-properties.js';
import { readRecordPropertiesString } from '../../../protocol/record-decoder.js';
import type { PropertySource } from './sql92/sql92.js';

/** What the records are matched by (a SharedSql92Filter fits). */
export interface RecordMatcher {
  /** The properties it reads: only these are decoded. */
  readonly propertyNames: readonly string[];
  matchesRecord(physicalOffset: number, properties: () => PropertySource): boolean;
}

export interface FilteredRecords {
  /** The matching records back to back: the read's own buffer when every record matched. */
  readonly buffer: Buffer;
  readonly messageCount: number;
}

/** Keeps the records of `buffer` (records back to back) that `matcher` accepts. */
export function filterPulledRecords(buffer: Buffer, matcher: RecordMatcher): FilteredRecords {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const kept: Buffer[] = [];
  let total = 0;
  let offset = 0;
  const names = matcher.propertyNames;
  while (offset < buffer.byteLength) {
    const sizeBytes = view.getInt32(offset + RecordOffset.TOTAL_SIZE);
    const physicalOffset = readInt64(view, offset + RecordOffset.PHYSICAL_OFFSET);
    const start = offset;
    const properties = (): PropertySource => parseMessageProperties(readRecordPropertiesString(buffer, start), names);
    if (matcher.matchesRecord(physicalOffset, properties)) kept.push(buffer.subarray(offset, offset + sizeBytes));
    total++;
    offset += sizeBytes;
  }
  if (kept.length === total) return { buffer, messageCount: total };
  return { buffer: Buffer.concat(kept), messageCount: kept.length };
}
