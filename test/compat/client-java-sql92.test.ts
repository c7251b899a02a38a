// The official Java client (rocketmq-client 5.5.0, via test/compat/java's SqlFilterProbe) with SQL92
// property filters against our broker: MessageSelector.bySql delivers exactly the matching messages,
// a malformed expression fails consumer.start() with SUBSCRIPTION_PARSE_FAILED (23), and a broker
// without enablePropertyFilter refuses the subscription with SYSTEM_ERROR (1), as Apache RocketMQ does.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJavaProbes, type CompatCluster, type ProbeLine, run, startCompatCluster } from './compat-fixtures.js';

const root = new URL('../../', import.meta.url).pathname;
const classpath = `${root}test/compat/java/target/classes:${root}test/compat/java/target/dependency/*`;

interface ProbeRun {
  readonly exitCode: number;
  readonly lines: ProbeLine[];
}

/** Runs SqlFilterProbe; returns its exit code and JSON lines (also when it exits non-zero). */
async function sqlProbe(...args: string[]): Promise<ProbeRun> {
  const java = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-cp', classpath];
  let stdout: string;
  let exitCode = 0;
  try {
    ({ stdout } = await run('java', [...java, 'cleanrocketmq.compat.SqlFilterProbe', ...args], { timeout: 120_000 }));
  } catch (error) {
    const failed = error as { stdout?: string; code?: number };
    stdout = failed.stdout ?? '';
    exitCode = typeof failed.code === 'number' ? failed.code : -1;
  }
  const lines = stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ProbeLine);
  return { exitCode, lines };
}

const bodiesOf = (lines: readonly ProbeLine[]): string[] =>
  lines
    .filter((line) => line['body'] !== undefined)
    .map((line) => String(line['body']))
    .sort();

describe('compat: Java client SQL92 filters against our broker', () => {
  let cluster: CompatCluster;
  let disabled: CompatCluster;

  beforeAll(async () => {
    await buildJavaProbes();
    cluster = await startCompatCluster({ enablePropertyFilter: true });
    disabled = await startCompatCluster();
    const sent = await sqlProbe('produce', cluster.namesrv, 'SqlTopic', '10');
    expect(sent.lines.at(-1)).toMatchObject({ done: true, sent: 10 });
  }, 600_000);

  afterAll(async () => {
    await cluster?.stop();
    await disabled?.stop();
  });

  it('delivers exactly the messages matching a property expression', async () => {
    const sql = "a >= 5 AND color = 'red'";
    const consumed = await sqlProbe('consume', cluster.namesrv, 'sql_group_1', 'SqlTopic', sql, '2', '40000', '2000');
    expect(consumed.exitCode).toBe(0);
    expect(bodiesOf(consumed.lines)).toEqual(['sql-6', 'sql-8']);
  }, 120_000);

  it('filters on TAGS, BETWEEN and IN', async () => {
    const sql = "TAGS = 'TagB' AND a BETWEEN 2 AND 7 AND color IN ('blue', 'green')";
    const consumed = await sqlProbe('consume', cluster.namesrv, 'sql_group_2', 'SqlTopic', sql, '3', '40000', '2000');
    expect(bodiesOf(consumed.lines)).toEqual(['sql-3', 'sql-5', 'sql-7']);
  }, 120_000);

  it('fails consumer.start() for a malformed expression with SUBSCRIPTION_PARSE_FAILED', async () => {
    const refused = await sqlProbe('consume', cluster.namesrv, 'sql_group_bad', 'SqlTopic', 'a >', '1', '5000', '0');
    expect(refused.exitCode).toBe(2);
    expect(refused.lines.at(-1)).toMatchObject({ responseCode: 23 });
    expect(String(refused.lines.at(-1)?.['errorMessage'])).toContain('Invalid MessageSelector');
  }, 120_000);

  it('is refused with SYSTEM_ERROR by a broker without enablePropertyFilter', async () => {
    await sqlProbe('produce', disabled.namesrv, 'SqlTopic', '1');
    const refused = await sqlProbe('consume', disabled.namesrv, 'sql_group_off', 'SqlTopic', 'a > 1', '1', '5000', '0');
    expect(refused.exitCode).toBe(2);
    expect(refused.lines.at(-1)).toMatchObject({
      responseCode: 1,
      errorMessage: 'The broker does not support consumer to filter message by SQL92',
    });
  }, 120_000);
});
