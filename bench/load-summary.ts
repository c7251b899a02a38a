// Helpers the two load-driving commands (bench/broker-load.ts, bench/peer.ts) share: the closing
// summary of a TypeScript load run, topic set-up on a broker, broker look-up through a name server,
// pinning this process to CPUs. Depends on load-generator.ts, load-protocol.ts, histogram.ts, ts/remoting.

import { execFileSync } from 'node:child_process';
import { createJsonLogger } from '../ts/common/logger.js';
import { RemotingClient } from '../ts/remoting/remoting-client.js';
import { formatSummaryMs } from './histogram.js';
import type { LoadConfig, LoadResult } from './load-generator.js';
import { clusterMasters, createTopic, topicRoute } from './load-protocol.js';

export function sizeLabel(sizeBytes: number): string {
  return sizeBytes % 1024 === 0 ? `${sizeBytes / 1024}KiB` : `${sizeBytes}B`;
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Pins every thread of this process to `cpus` (taskset -a -p); children inherit it. */
export function pinSelf(cpus: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' });
}

function adminClient(): RemotingClient {
  return new RemotingClient({ name: 'bench-admin', logger: createJsonLogger('error') });
}

/** The broker serving `topic`, else the first master registered with the name server. */
export async function resolveBroker(namesrv: string, topic: string): Promise<string> {
  const client = adminClient();
  try {
    const route = await topicRoute(client, namesrv, topic);
    const fromRoute = route?.brokerAddrs[0];
    if (fromRoute !== undefined) return fromRoute;
    const [master] = await clusterMasters(client, namesrv);
    if (master === undefined) throw new Error(`no broker is registered with ${namesrv}`);
    return master;
  } finally {
    await client.close();
  }
}

/** Creates `topic` on the broker, then waits until the name server routes it with all its queues. */
export async function ensureTopic(
  brokerAddr: string,
  topic: string,
  queueCount: number,
  namesrvAddr?: string,
): Promise<void> {
  const client = adminClient();
  try {
    await createTopic(client, brokerAddr, topic, queueCount);
    if (namesrvAddr === undefined) return;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const route = await topicRoute(client, namesrvAddr, topic);
      if (route !== null && route.writeQueueNums === queueCount) return;
      if (Date.now() > deadline) throw new Error(`${namesrvAddr} has no route for ${topic} with ${queueCount} queues`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await client.close();
  }
}

/** Prints the closing summary of a load run; returns its last line. */
export function printSummary(config: LoadConfig, result: LoadResult, print: (line: string) => void): string {
  print(
    `[Complete] Send Total: ${result.messages} | Send TPS: ${result.tps.toFixed(0)} | ` +
      `${result.mbPerSec.toFixed(1)} MB/s | ` +
      `Send Failed: ${result.sendFailed} | Response Failed: ${result.responseFailed} | ` +
      `window ${result.windowSeconds.toFixed(1)} s`,
  );
  print(`Send RT (per request): ${formatSummaryMs(result.sendRt)}`);
  if (result.e2e !== null) {
    print(`End-to-end: ${formatSummaryMs(result.e2e)}`);
    print(
      `Consumed: ${result.consumed} (${result.consumeTps.toFixed(0)}/s) | ` +
        `lag at end ${result.endLag}, max ${result.maxLag}`,
    );
  }
  if (result.broker !== null) {
    const b = result.broker;
    print(
      `Broker: ${b.cpuUsPerMsg.toFixed(1)} CPU-µs/msg (${b.cores.toFixed(2)} cores) | ` +
        `VmRSS peak ${mib(b.peakRssBytes)} | ` +
        `RssAnon peak ${mib(b.peakRssAnonBytes)} (end ${mib(b.endRssAnonBytes)})`,
    );
  }
  print(
    `Load generator: ${result.clientCpuUsPerMsg.toFixed(1)} CPU-µs/msg | ` +
      `machine busy ${result.machineBusyCores.toFixed(2)} cores`,
  );
  const p99 = (result.sendRt.p99Us / 1000).toFixed(3);
  const cpu = result.broker === null ? 'n/a' : result.broker.cpuUsPerMsg.toFixed(1);
  const batch = config.batch > 1 ? ` b${config.batch}` : '';
  const last =
    `broker-load ${sizeLabel(config.sizeBytes)} x${config.threads}${batch}: ` +
    `${result.tps.toFixed(0)} msg/s, p99 ${p99} ms, broker cpu-us/msg ${cpu}`;
  print(last);
  return last;
}
