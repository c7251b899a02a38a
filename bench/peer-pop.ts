// The pop side of `npm run bench:peer` (W10-pop*): sets the benchmark group to POP on the broker under test
// (SET_MESSAGE_REQUEST_MODE, what `mqadmin setConsumeMode -m POP` sends) and starts PopBench, the official
// push consumers in POP mode (test/compat/java, built by scripts/compat-java.sh), pinned to the client CPUs.
// Depends on ts/protocol/assignment.ts, ts/remoting, peer-workloads.ts.

import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { encodeMessageRequestModeBody } from '../ts/protocol/assignment.js';
import { RequestCode, ResponseCode } from '../ts/remoting/codes.js';
import type { RemotingClient } from '../ts/remoting/remoting-client.js';
import { createRequest } from '../ts/remoting/remoting-command.js';
import { POP_CONSUMER_GROUP, type PopConsumption, popBenchArgs, type ToolOutput } from './peer-workloads.js';

/** Sets POP_CONSUMER_GROUP to POP on `topic` (every consumer pops every queue); throws on a refusal. */
export async function setPopMode(admin: RemotingClient, brokerAddr: string, topic: string): Promise<void> {
  const body = encodeMessageRequestModeBody({
    topic,
    consumerGroup: POP_CONSUMER_GROUP,
    mode: 'POP',
    popShareQueueNum: 0,
  });
  const reply = await admin.invoke(brokerAddr, createRequest(RequestCode.SET_MESSAGE_REQUEST_MODE, {}, body), 5000);
  if (reply.code !== ResponseCode.SUCCESS)
    throw new Error(`SET_MESSAGE_REQUEST_MODE refused: ${reply.code} ${reply.remark ?? ''}`);
}

/** Starts PopBench on `clientCpus`; its report lines go to `output` and everything to `logFile`. */
export function spawnPopBench(
  options: { readonly peerScript: string; readonly clientCpus: string },
  pop: PopConsumption,
  namesrvAddr: string,
  topic: string,
  logFile: string,
  output: ToolOutput,
): ChildProcess {
  const compat = join(dirname(options.peerScript), '..', 'test', 'compat', 'java', 'target');
  const classpath = `${join(compat, 'classes')}:${join(compat, 'dependency')}/*`;
  const java = ['-Xms512m', '-Xmx512m', '-XX:+UseG1GC', '-cp', classpath, 'cleanrocketmq.compat.PopBench'];
  const child = spawn(
    'taskset',
    ['-c', options.clientCpus, 'java', ...java, ...popBenchArgs(pop, namesrvAddr, topic)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const log = createWriteStream(logFile);
  child.stdout.on('data', (chunk: Buffer) => {
    output.push(chunk);
    log.write(chunk);
  });
  child.stderr.pipe(log);
  return child;
}
