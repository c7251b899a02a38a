// The official Go client (rocketmq-client-go/v2, test/compat/go's client-probe sql-* commands) with an
// SQL92 property filter against our broker (enablePropertyFilter=true): a push consumer subscribed with
// consumer.MessageSelector{Type: SQL92} receives exactly the matching messages, and the group moves
// past the others (a second run of the same group receives nothing more).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CompatCluster, type ProbeLine, startCompatCluster } from './compat-fixtures.js';
import { buildGoProbe, goProbe } from './go-fixtures.js';

const bodiesOf = (lines: readonly ProbeLine[]): string[] =>
  lines
    .filter((line) => line['body'] !== undefined)
    .map((line) => String(line['body']))
    .sort();

describe('compat: Go SQL92 push consumer against our broker', () => {
  let cluster: CompatCluster;

  beforeAll(async () => {
    await buildGoProbe();
    cluster = await startCompatCluster({ enablePropertyFilter: true });
    const sent = await goProbe('sql-produce', cluster.namesrv, 'GoSqlTopic', '10');
    expect(sent.at(-1)).toMatchObject({ done: true, sent: 10 });
  }, 600_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('receives exactly the messages matching the expression', async () => {
    const sql = "a > 2 AND color = 'blue' AND a NOT IN ('7')";
    const lines = await goProbe(
      'sql-consume',
      cluster.namesrv,
      'go_sql_group',
      'GoSqlTopic',
      sql,
      '3',
      '40000',
      '2000',
    );
    expect(lines.at(-1)).toMatchObject({ done: true, received: 3 });
    expect(bodiesOf(lines)).toEqual(['sql-3', 'sql-5', 'sql-9']);
    for (const line of lines.filter((l) => l['body'] !== undefined)) expect(line['color']).toBe('blue');
  }, 120_000);

  it('delivers nothing for an expression no message matches, with missing properties unknown', async () => {
    const sql = "missing = 'x' OR (a IS NULL) OR a > 100";
    const lines = await goProbe('sql-consume', cluster.namesrv, 'go_sql_none', 'GoSqlTopic', sql, '0', '1', '4000');
    expect(lines.at(-1)).toMatchObject({ done: true, received: 0 });
  }, 120_000);
});
