// `npm run bench:broker`: the TypeScript load generator against a broker over the Remoting protocol.
// By default it starts our broker (dist/, all-in-one; registry + broker under --flush SYNC_FLUSH) in
// a child process with a temp data dir; --broker / --namesrv aim it at a running one. Prints the
// Java benchmark Producer's lines every second, then percentiles, broker CPU per message and RSS.
// Depends on load-generator.ts, load-summary.ts, broker-process.ts, proc-stats.ts.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseAddress } from '../ts/remoting/remoting-client.js';
import { packageRoot } from '../ts/store/native-binding.js';
import { type FlushDiskType, type RunningBroker, startOurs } from './broker-process.js';
import { type LoadConfig, type LoadResult, runLoad } from './load-generator.js';
import { ensureTopic, pinSelf, printSummary, resolveBroker } from './load-summary.js';
import { findListeningPid } from './proc-stats.js';

const USAGE = `usage: npm run bench:broker -- [options]
  --threads N        concurrent in-flight senders (64)
  --size B           body bytes (1024)
  --batch K          messages per request; >1 sends SEND_BATCH_MESSAGE (1)
  --seconds S        measured window (30)
  --warmup S         warm-up before the window, not counted (5)
  --topic T          topic, created with --queues queues (BenchLoad)
  --queues Q         queues of the topic (8)
  --consume          also pull every queue: end-to-end latency and lag
  --broker ADDR      a running broker (host:port); no broker is started
  --namesrv ADDR     a running name server; the topic's broker is looked up there
  --broker-pid PID   the broker process to measure (found from the port when local)
  --flush MODE       ASYNC_FLUSH | SYNC_FLUSH for the broker we start (ASYNC_FLUSH)
  --broker-cpus L    taskset CPU list for the broker we start (e.g. 1)
  --client-cpus L    pin this load generator (e.g. 0)
  --header H         rocketmq (binary, as the Java tools) | json (rocketmq)
  --json FILE        write the result as JSON`;

export interface BrokerLoadReport {
  readonly command: string;
  readonly date: string;
  readonly brokerAddr: string;
  readonly brokerPid: number | null;
  readonly config: Omit<LoadConfig, 'print'>;
  readonly result: LoadResult;
}

function withoutPrint(config: LoadConfig): Omit<LoadConfig, 'print'> {
  return Object.fromEntries(Object.entries(config).filter(([key]) => key !== 'print')) as Omit<LoadConfig, 'print'>;
}

function parseCliArgs() {
  return parseArgs({
    options: {
      threads: { type: 'string', default: '64' },
      size: { type: 'string', default: '1024' },
      batch: { type: 'string', default: '1' },
      seconds: { type: 'string', default: '30' },
      warmup: { type: 'string', default: '5' },
      topic: { type: 'string', default: 'BenchLoad' },
      queues: { type: 'string', default: '8' },
      consume: { type: 'boolean', default: false },
      broker: { type: 'string' },
      namesrv: { type: 'string' },
      'broker-pid': { type: 'string' },
      flush: { type: 'string', default: 'ASYNC_FLUSH' },
      'broker-cpus': { type: 'string' },
      'client-cpus': { type: 'string' },
      header: { type: 'string', default: 'rocketmq' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
}

type CliValues = ReturnType<typeof parseCliArgs>;

/** The broker to load: --broker, the topic's broker from --namesrv, or ours started in a child process. */
async function brokerUnderTest(
  values: CliValues,
  flush: FlushDiskType,
): Promise<{ brokerAddr: string; started: RunningBroker | null }> {
  if (values.broker !== undefined) return { brokerAddr: values.broker, started: null };
  if (values.namesrv !== undefined) {
    return { brokerAddr: await resolveBroker(values.namesrv, values.topic), started: null };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-bench-broker-'));
  const started = await startOurs(
    { dataDir, cpus: values['broker-cpus'], flushDiskType: flush },
    join(packageRoot(), 'dist'),
  );
  console.log(
    `started our broker (pid ${started.brokerPid}, ${flush}) at ${started.brokerAddr}, ` +
      `registry ${started.namesrvAddr}, data ${dataDir}`,
  );
  return { brokerAddr: started.brokerAddr, started };
}

function loadConfigOf(values: CliValues, brokerAddr: string, brokerPid: number | undefined): LoadConfig {
  return {
    brokerAddr,
    topic: values.topic,
    queueCount: Number(values.queues),
    threads: Number(values.threads),
    sizeBytes: Number(values.size),
    batch: Number(values.batch),
    warmupSeconds: Number(values.warmup),
    seconds: Number(values.seconds),
    consume: values.consume,
    serializeType: values.header === 'json' ? 'JSON' : 'ROCKETMQ',
    brokerPid,
    print: (line) => console.log(line),
  };
}

async function runAgainst(values: CliValues, brokerAddr: string, startedPid: number | undefined): Promise<void> {
  const queueCount = Number(values.queues);
  await ensureTopic(brokerAddr, values.topic, queueCount);
  const brokerPid =
    startedPid ??
    (values['broker-pid'] !== undefined
      ? Number(values['broker-pid'])
      : findListeningPid(parseAddress(brokerAddr).port));
  const config = loadConfigOf(values, brokerAddr, brokerPid);
  console.log(
    `topic: ${config.topic} (${queueCount} queues) threadCount: ${config.threads} ` +
      `messageSize: ${config.sizeBytes} batch: ${config.batch} ` +
      `consume: ${config.consume} warmup: ${config.warmupSeconds}s seconds: ${config.seconds} ` +
      `brokerPid: ${brokerPid ?? 'unknown'}`,
  );
  const result = await runLoad(config);
  printSummary(config, result, (line) => console.log(line));
  if (values.json !== undefined) {
    const report: BrokerLoadReport = {
      command: process.argv.slice(2).join(' '),
      date: new Date().toISOString(),
      brokerAddr,
      brokerPid: brokerPid ?? null,
      config: withoutPrint(config),
      result,
    };
    writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  }
}

async function main(): Promise<void> {
  const values = parseCliArgs();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const flush = values.flush as FlushDiskType;
  if (flush !== 'ASYNC_FLUSH' && flush !== 'SYNC_FLUSH')
    throw new Error(`--flush: ASYNC_FLUSH or SYNC_FLUSH, not ${values.flush}`);
  if (values['client-cpus'] !== undefined) pinSelf(values['client-cpus']);

  const { brokerAddr, started } = await brokerUnderTest(values, flush);
  const stop = (): void => {
    void started?.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await runAgainst(values, brokerAddr, started?.brokerPid);
  } finally {
    await started?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
