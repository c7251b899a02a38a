// The official `mqadmin setConsumeMode` (rocketmq-tools 5.5.0) against our broker: the mode lands in
// GET_ALL_MESSAGE_REQUEST_MODE (402) and in messageRequestMode.json, survives a restart, and a refused
// request (unknown topic) fails the command. mqadmin exits 0 even when a command fails, so every assertion
// reads its output.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { RequestCode, ResponseCode } from '../../ts/remoting/codes.js';
import { createRequest } from '../../ts/remoting/remoting-command.js';
import { RemotingClient } from '../../ts/remoting/remoting-client.js';
import { buildJavaProbes, clientProbe, type CompatCluster, startCompatCluster } from './compat-fixtures.js';

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
  const { stdout, stderr } = await execute('java', [...JVM, '-cp', classpath, main, command, '-n', namesrv, ...args], {
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout + stderr;
}

describe('compat: mqadmin setConsumeMode against our broker', () => {
  let cluster: CompatCluster;
  let remoting: RemotingClient;
  let storeDir: string;

  beforeAll(async () => {
    await buildJavaProbes();
    cluster = await startCompatCluster();
    storeDir = cluster.broker.config.storePathRootDir;
    remoting = new RemotingClient({ logger: createMemoryLogger() });
    await clientProbe('produce', cluster.namesrv, 'ModeTopic', '1', 'sync');
  }, 600_000);

  afterAll(async () => {
    await remoting?.close();
    await cluster?.stop();
  });

  async function allModes(): Promise<unknown> {
    const addr = `127.0.0.1:${cluster.broker.port}`;
    const reply = await remoting.invoke(addr, createRequest(RequestCode.GET_ALL_MESSAGE_REQUEST_MODE, {}), 5000);
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    return JSON.parse(reply.body?.toString() ?? '');
  }

  it('sets POP with a share number by broker address and by cluster; the mode is kept across a restart', async () => {
    const addr = `127.0.0.1:${cluster.broker.port}`;
    const byBroker = await mqadmin(
      cluster.namesrv,
      'setConsumeMode',
      '-b',
      addr,
      '-t',
      'ModeTopic',
      '-g',
      'g1',
      '-m',
      'POP',
      '-q',
      '2',
    );
    expect(byBroker).toContain(`set consume mode to ${addr} success.`);
    const byCluster = await mqadmin(
      cluster.namesrv,
      'setConsumeMode',
      '-c',
      'DefaultCluster',
      '-t',
      'ModeTopic',
      '-g',
      'g2',
      '-m',
      'PULL',
    );
    expect(byCluster).toContain('success.');
    const expected = {
      messageRequestModeMap: {
        ModeTopic: {
          g1: { consumerGroup: 'g1', mode: 'POP', popShareQueueNum: 2, topic: 'ModeTopic' },
          g2: { consumerGroup: 'g2', mode: 'PULL', popShareQueueNum: 0, topic: 'ModeTopic' },
        },
      },
    };
    expect(await allModes()).toEqual(expected);
    const file = readFileSync(join(storeDir, 'config', 'messageRequestMode.json'), 'utf8');
    expect(JSON.parse(file)).toEqual(expected);
    await cluster.restartBroker();
    expect(await allModes()).toEqual(expected);
  }, 180_000);

  it('fails for a topic the broker does not have (TOPIC_NOT_EXIST) and changes nothing', async () => {
    const addr = `127.0.0.1:${cluster.broker.port}`;
    const before = await allModes();
    const output = await mqadmin(
      cluster.namesrv,
      'setConsumeMode',
      '-b',
      addr,
      '-t',
      'NoSuchTopic',
      '-g',
      'g1',
      '-m',
      'POP',
    );
    expect(output).toContain('topic[NoSuchTopic] not exist');
    expect(output).not.toContain('success.');
    expect(await allModes()).toEqual(before);
  }, 120_000);
});
