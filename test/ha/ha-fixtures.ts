// Fixtures of the replication suites (docs/replication.md): brokers run as child processes of the CLI
// (`clean-rocketmq broker -c <conf>`) over temp store folders, a master and its slave registered with
// one in-process registry; Remoting helpers (max queue offsets, a pull, a route) and a byte-for-byte
// comparison of two stores' CommitLog and ConsumeQueue files.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { decodeTopicRouteData } from '../../ts/client/topic-route.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import type { TopicRouteData } from '../../ts/protocol/route-types.js';
import { RequestCode } from '../../ts/remoting/codes.js';
import { RemotingClient } from '../../ts/remoting/remoting-client.js';
import { createRequest, type RemotingCommand } from '../../ts/remoting/remoting-command.js';

const cli = fileURLToPath(new URL('../../ts/cli/main.ts', import.meta.url));

export interface BrokerProcess {
  readonly port: number;
  readonly address: string;
  readonly dir: string;
  /** stderr lines so far (JSON log lines). */
  readonly logs: string[];
  /** SIGTERM (a clean close of the store), SIGKILL after 20 s. */
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

/** Starts `clean-rocketmq broker -c` with `keys` over `dir` (a fresh temp folder unless given). */
export async function startBrokerProcess(keys: Record<string, string | number>, dir?: string): Promise<BrokerProcess> {
  const storeDir = dir ?? mkdtempSync(join(tmpdir(), 'clean-rocketmq-ha-'));
  const conf = join(storeDir, 'broker.conf');
  const base = {
    storePathRootDir: storeDir,
    listenPort: 0,
    brokerIP1: '127.0.0.1',
    brokerIP2: '127.0.0.1',
    brokerName: 'broker-a',
    grpcServerPort: 0,
    mappedFileSizeCommitLog: 16 * 1024 * 1024,
    maxHashSlotNum: 1024,
    maxIndexNum: 4096,
  };
  const lines = Object.entries({ ...base, ...keys }).map(([key, value]) => `${key}=${value}`);
  writeFileSync(conf, lines.join('\n'));
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'broker', '-c', conf], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NAMESRV_ADDR: '' },
  });
  const logs: string[] = [];
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line: string) => logs.push(line));
  const ready = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`broker exited with ${code}: ${logs.join('\n')}`)));
  });
  const port = Number(/listening on [^\s,]*:(\d+)/.exec(ready)?.[1]);
  return {
    port,
    address: `127.0.0.1:${port}`,
    dir: storeDir,
    logs,
    stop: () => stopChild(child, 'SIGTERM'),
    kill9: () => stopChild(child, 'SIGKILL'),
  };
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export const remoting = new RemotingClient({ logger: createMemoryLogger() });

export async function invoke(address: string, request: RemotingCommand): Promise<RemotingCommand> {
  return remoting.invoke(address, request, 10_000);
}

/** The queue's max offset on one broker (GET_MAX_OFFSET), -1 when the broker does not answer SUCCESS. */
export async function maxOffset(address: string, topic: string, queueId: number): Promise<number> {
  const reply = await invoke(address, createRequest(RequestCode.GET_MAX_OFFSET, { topic, queueId: String(queueId) }));
  return reply.code === 0 ? Number(reply.extFields['offset']) : -1;
}

export async function topicRoute(namesrv: string, topic: string): Promise<TopicRouteData> {
  const reply = await invoke(namesrv, createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }));
  return decodeTopicRouteData(reply.body);
}

export function pullRequest(topic: string, queueId: number, queueOffset: number, maxMsgNums = 32): RemotingCommand {
  return createRequest(RequestCode.PULL_MESSAGE, {
    consumerGroup: 'ha_check_group',
    topic,
    queueId: String(queueId),
    queueOffset: String(queueOffset),
    maxMsgNums: String(maxMsgNums),
    sysFlag: '4', // FLAG_SUBSCRIPTION: the subscription comes with the pull
    commitOffset: '0',
    suspendTimeoutMillis: '0',
    subscription: '*',
    subVersion: '1',
  });
}

/** Every file under `sub` (commitlog, consumequeue) of a store, by relative path. */
export function storeFiles(storeDir: string, sub: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(join(storeDir, sub), path), readFileSync(path));
    }
  };
  walk(join(storeDir, sub));
  return files;
}

/**
 * Names of the files that differ between two stores' `sub` folders. A file on one side only counts as
 * equal when it holds only zeros (a CommitLog file pre-created by one side's allocator).
 */
export function differingFiles(a: string, b: string, sub: string): string[] {
  const left = storeFiles(a, sub);
  const right = storeFiles(b, sub);
  const names = new Set([...left.keys(), ...right.keys()]);
  const zeros = (bytes: Buffer): boolean => bytes.every((byte) => byte === 0);
  return [...names].filter((name) => {
    const [l, r] = [left.get(name), right.get(name)];
    if (l === undefined || r === undefined) return !zeros(l ?? r ?? Buffer.alloc(0));
    return !l.equals(r);
  });
}

/** UPDATE_AND_CREATE_TOPIC on one broker; resolves to the response code. */
export async function createTopic(address: string, topic: string, queues: number): Promise<number> {
  const request = createRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, {
    topic,
    defaultTopic: 'TBW102',
    readQueueNums: String(queues),
    writeQueueNums: String(queues),
    perm: '6',
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: '0',
    order: 'false',
  });
  return (await invoke(address, request)).code;
}

/** A SEND_MESSAGE_V2 of one message to `topic`'s queue 0. */
export function sendRequest(topic: string, body: string): RemotingCommand {
  const header = {
    a: 'pg',
    b: topic,
    c: 'TBW102',
    d: '4',
    e: '0',
    f: '0',
    g: String(Date.now()),
    h: '0',
    i: '',
    j: '0',
  };
  return createRequest(RequestCode.SEND_MESSAGE_V2, { ...header, k: 'false' }, Buffer.from(body));
}

/** Polls `check` every 200 ms; rejects after `timeoutMs`. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
