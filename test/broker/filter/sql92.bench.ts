// The cost of SQL92 filtering per message per expression (issue 16: < 2 µs), as a pull pays it: read
// each record's properties in place, decode them, evaluate. 1,000 records of a realistic property set
// per iteration, so per message = the reported mean / 1,000. Run: npx vitest bench --run
// test/broker/filter/sql92.bench.ts (figures in docs/benchmarks.md).

import { bench, describe } from 'vitest';
import { filterPulledRecords, type RecordMatcher } from '../../../ts/broker/domain/filter/pulled-records-filter.js';
import { compileSql92 } from '../../../ts/broker/domain/filter/sql92/sql92.js';
import { encodeMessageProperties } from '../../../ts/protocol/message-properties.js';
import { RecordDraftEncoder } from '../../../ts/store/record-draft-encoder.js';
import { goldenMessage } from '../../store/store-fixtures.js';

const RECORDS = 1_000;

/** 1,000 records with the properties a Java producer sends plus three user properties. */
const records = Buffer.from(
  new RecordDraftEncoder().encode(
    Array.from({ length: RECORDS }, (_, i) =>
      goldenMessage({
        topic: 'BenchTopic',
        body: Buffer.alloc(256, 120),
        properties: encodeMessageProperties({
          TAGS: i % 2 === 0 ? 'TagA' : 'TagB',
          KEYS: `key-${i}`,
          UNIQ_KEY: `7F0000010001${String(i).padStart(20, '0')}`,
          WAIT: 'true',
          a: String(i),
          color: i % 3 === 0 ? 'red' : 'blue',
          region: 'eu-west',
        }),
      }),
    ),
  ),
);

/** Evaluates every record (no shared-result memo), as the first group with an expression does. */
const everyRecord = (sql: string): RecordMatcher => {
  const filter = compileSql92(sql);
  return { propertyNames: filter.propertyNames, matchesRecord: (_offset, properties) => filter.matches(properties()) };
};

const EXPRESSIONS = {
  'a > 500': 'a > 500',
  "TAGS = 'TagA' AND color = 'red'": "TAGS = 'TagA' AND color = 'red'",
  "a BETWEEN 100 AND 900 AND color IN ('red', 'green') AND region IS NOT NULL":
    "a BETWEEN 100 AND 900 AND color IN ('red', 'green') AND region IS NOT NULL",
};

describe(`sql92: filter ${RECORDS} pulled records (per message = mean / ${RECORDS})`, () => {
  for (const [name, sql] of Object.entries(EXPRESSIONS)) {
    const matcher = everyRecord(sql);
    bench(name, () => {
      filterPulledRecords(records, matcher);
    });
  }
});
