// `clean-rocketmq admin` beside the official mqadmin 5.5.0 (rocketmq-tools) on the same registry and
// broker: the same header lines, character for character, and the same rows (times aside) for
// topicStatus, consumerProgress, queryMsgByKey, clusterList and brokerStatus.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../../ts/admin/admin-program.js';
import { buildJavaProbes, type CompatCluster, startCompatCluster } from './compat-fixtures.js';

const execute = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const classpath = `${root}test/compat/java/target/classes:${root}test/compat/java/target/dependency/*`;
const JVM = [
  '-Xmx256m',
  '-XX:TieredStopAtLevel=1',
  '-XX:+UseSerialGC',
  '-Drmq.logback.configurationFile=rmq.compat.logback.xml',
];

async function mqadmin(namesrv: string, command: string, ...args: string[]): Promise<string> {
  const main = 'org.apache.rocketmq.tools.command.MQAdminStartup';
  const { stdout } = await execute('java', [...JVM, '-cp', classpath, main, command, '-n', namesrv, ...args], {
    timeout: 90_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

async function ours(namesrv: string, command: string, ...args: string[]): Promise<string> {
  let stdout = '';
  let stderr = '';
  const code = await runAdmin([command, '-n', namesrv, ...args], {
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
    env: {},
    setExitCode: () => undefined,
  });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return stdout;
}

/** The output's lines, with mqadmin's JVM warnings and blank lines left out. */
function lines(output: string): string[] {
  return output.split('\n').filter((line) => line.trim() !== '' && !/^(WARNING|OpenJDK)/.test(line));
}

const header = (output: string): string | undefined => lines(output).find((line) => line.startsWith('#'));

/** Cells of the lines starting with `first`, with date-time cells removed. */
function rowCells(output: string, first: string): string[][] {
  return lines(output)
    .map((line) => line.trim().split(/\s+/))
    .filter((cells) => cells[0] === first)
    .map((cells) => cells.filter((cell) => !/^\d{4}-\d{2}-\d{2}$|^\d{2}:\d{2}:\d{2}(,\d{3})?$/.test(cell)));
}

describe('compat: clean-rocketmq admin lays its output out as mqadmin 5.5.0', () => {
  const topic = 'CliLayoutTopic';
  const group = 'CliLayoutGroup';
  let cluster: CompatCluster;
  let namesrv: string;

  beforeAll(async () => {
    await buildJavaProbes();
    cluster = await startCompatCluster();
    namesrv = cluster.namesrv;
    await ours(namesrv, 'updateTopic', '-b', cluster.broker.brokerAddr, '-t', topic, '-r', '2', '-w', '2');
    for (const body of ['a', 'b', 'c']) {
      await ours(namesrv, 'sendMessage', '-t', topic, '-p', body, '-k', 'layout-key', '-b', 'broker-a', '-i', '0');
    }
    await ours(namesrv, 'updateSubGroup', '-b', cluster.broker.brokerAddr, '-g', group);
    await ours(namesrv, 'resetOffsetByTime', '-g', group, '-t', topic, '-s', 'now');
  }, 600_000);

  afterAll(() => cluster?.stop());

  it('topicStatus', async () => {
    const [java, mine] = [
      await mqadmin(namesrv, 'topicStatus', '-t', topic),
      await ours(namesrv, 'topicStatus', '-t', topic),
    ];
    expect(header(mine)).toBe(header(java));
    expect(rowCells(mine, 'broker-a')).toEqual(rowCells(java, 'broker-a'));
    expect(rowCells(mine, 'Topic')).toEqual(rowCells(java, 'Topic'));
  }, 120_000);

  it('consumerProgress', async () => {
    const args = ['-g', group, '-t', topic];
    const [java, mine] = [
      await mqadmin(namesrv, 'consumerProgress', ...args),
      await ours(namesrv, 'consumerProgress', ...args),
    ];
    expect(header(mine)).toBe(header(java));
    expect(rowCells(mine, topic)).toEqual(rowCells(java, topic));
    expect(rowCells(mine, 'Consume')).toEqual(rowCells(java, 'Consume'));
  }, 120_000);

  it('queryMsgByKey', async () => {
    const args = ['-t', topic, '-k', 'layout-key'];
    const [java, mine] = [
      await mqadmin(namesrv, 'queryMsgByKey', ...args),
      await ours(namesrv, 'queryMsgByKey', ...args),
    ];
    expect(header(mine)).toBe(header(java));
    const rows = (output: string) =>
      lines(output)
        .filter((line) => !line.startsWith('#'))
        .sort();
    expect(rows(mine)).toHaveLength(3);
    expect(rows(mine)).toEqual(rows(java));
  }, 120_000);

  it('clusterList and brokerStatus', async () => {
    const [java, mine] = [await mqadmin(namesrv, 'clusterList'), await ours(namesrv, 'clusterList')];
    expect(header(mine)).toBe(header(java));
    expect(rowCells(mine, 'DefaultCluster').map((cells) => cells.slice(0, 5))).toEqual(
      rowCells(java, 'DefaultCluster').map((cells) => cells.slice(0, 5)),
    );
    const brokerAddr = cluster.broker.brokerAddr;
    const keys = (output: string) => lines(output).map((line) => line.split(':')[0]?.trim());
    const [javaStatus, myStatus] = [
      await mqadmin(namesrv, 'brokerStatus', '-b', brokerAddr),
      await ours(namesrv, 'brokerStatus', '-b', brokerAddr),
    ];
    expect(keys(myStatus)).toEqual(keys(javaStatus));
    expect(myStatus).toMatch(/^brokerVersionDesc {15}: V5_5_0$/m);
  }, 120_000);

  it("updateBrokerConfig: mqadmin's update is applied and getBrokerConfig shows it", async () => {
    const brokerAddr = cluster.broker.brokerAddr;
    const java = await mqadmin(
      namesrv,
      'updateBrokerConfig',
      '-b',
      brokerAddr,
      '-k',
      'maxMessageSize',
      '-v',
      '4194000',
    );
    expect(lines(java)).toContain(`update broker config success, ${brokerAddr}`);
    expect(await ours(namesrv, 'getBrokerConfig', '-b', brokerAddr)).toMatch(/^maxMessageSize += {2}4194000$/m);
  }, 120_000);
});
