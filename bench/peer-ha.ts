// The master/slave workloads of `npm run bench:peer` (W1-ha-async, W1-ha-sync; docs/replication.md): W1 against
// a pair, ours or Apache RocketMQ 5.5.0's (master + SLAVE, one name server, one machine); broker CPU counts both
// brokers and the replication lag (master − slave max offsets) is sampled every second of the window.
// Depends on broker-process.ts, peer-run.ts, load-protocol.ts, load-summary.ts, proc-stats.ts, ts/remoting.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsonLogger } from '../ts/common/logger.js';
import { RemotingClient } from '../ts/remoting/remoting-client.js';
import {
  type BrokerKind,
  type BrokerLaunch,
  type RunningBroker,
  type RunningSlave,
  startOurs,
  startRocketmq,
  startSlave,
} from './broker-process.js';
import type { BrokerUsage } from './load-generator.js';
import { storedMessageCount } from './load-protocol.js';
import { ensureTopic } from './load-summary.js';
import type { ProcessUsage } from './peer-grpc.js';
import { type PeerRunOptions, type RunRecord, runOfficial, runProbe, type WindowWatch } from './peer-run.js';
import { QUEUE_COUNT, type Workload } from './peer-workloads.js';
import { ProcessMeter, type ProcessWindow } from './proc-stats.js';

/** Master max offset − slave max offset, summed over the topic's queues, in messages. */
export interface ReplicationLag {
  /** Samples taken (one a second); failed queries are not counted. */
  readonly samples: number;
  readonly maxMsgs: number | null;
  readonly avgMsgs: number | null;
  /** The last sample of the window. */
  readonly endMsgs: number | null;
}

const SAMPLE_INTERVAL_MS = 1000;

/** Over the window: the slave's CPU and memory, and the lag sampled every second. */
class PairWatch implements WindowWatch {
  private readonly meter: ProcessMeter;
  private timer: NodeJS.Timeout | null = null;
  private sampling = false;
  private readonly lags: number[] = [];
  slaveWindow: ProcessWindow | null = null;

  constructor(
    private readonly admin: RemotingClient,
    private readonly masterAddr: string,
    private readonly slave: RunningSlave,
    private readonly topic: string,
  ) {
    this.meter = new ProcessMeter(slave.brokerPid);
  }

  start(): void {
    this.meter.mark();
    this.timer = setInterval(() => void this.sample(), SAMPLE_INTERVAL_MS);
  }

  end(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.slaveWindow = this.meter.finish();
  }

  lag(): ReplicationLag {
    const count = this.lags.length;
    return {
      samples: count,
      maxMsgs: count === 0 ? null : Math.max(...this.lags),
      avgMsgs: count === 0 ? null : this.lags.reduce((sum, lag) => sum + lag, 0) / count,
      endMsgs: this.lags.at(-1) ?? null,
    };
  }

  /** Slave first: a message stored between the two queries can only make the lag larger, never negative. */
  private async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      const onSlave = await storedMessageCount(this.admin, this.slave.brokerAddr, this.topic, QUEUE_COUNT);
      const onMaster = await storedMessageCount(this.admin, this.masterAddr, this.topic, QUEUE_COUNT);
      this.lags.push(onMaster - onSlave);
    } catch {
      // the slave has not learned the topic yet, or a query timed out: no sample
    } finally {
      this.sampling = false;
    }
  }
}

function processUsage(role: string, window: ProcessWindow, stored: number): ProcessUsage {
  return {
    role,
    cpuUsPerMsg: stored === 0 ? 0 : window.cpuUs / stored,
    cores: window.cores,
    peakRssMiB: window.peakRssBytes / 2 ** 20,
    peakRssAnonMiB: window.peakRssAnonBytes / 2 ** 20,
  };
}

/** The pair's usage: CPU and cores summed, memory peaks summed (both processes hold their own copy). */
function pairUsage(master: BrokerUsage, slave: ProcessWindow, stored: number): BrokerUsage {
  const cpuUs = master.cpuUs + slave.cpuUs;
  return {
    ...master,
    cpuUs,
    cores: master.cores + slave.cores,
    peakRssBytes: master.peakRssBytes + slave.peakRssBytes,
    peakRssAnonBytes: master.peakRssAnonBytes + slave.peakRssAnonBytes,
    endRssBytes: master.endRssBytes + slave.endRssBytes,
    endRssAnonBytes: master.endRssAnonBytes + slave.endRssAnonBytes,
    cpuUsPerMsg: stored === 0 ? 0 : cpuUs / stored,
  };
}

async function startPair(
  options: PeerRunOptions,
  side: BrokerKind,
  launch: BrokerLaunch,
  slaveDir: string,
  started: { master?: RunningBroker; slave?: RunningSlave },
): Promise<{ master: RunningBroker; slave: RunningSlave }> {
  const master =
    side === 'ours'
      ? await startOurs(launch, options.oursDistDir, true)
      : await startRocketmq(launch, options.peerScript);
  started.master = master;
  const from = { distDir: options.oursDistDir, peerScript: options.peerScript };
  const slave = await startSlave(side, { ...launch, dataDir: slaveDir }, master, from);
  started.slave = slave;
  return { master, slave };
}

/** One W1-ha-* run on one side; failures are recorded, not thrown. */
export async function runHaOne(
  options: PeerRunOptions,
  workload: Workload,
  side: BrokerKind,
  round: number,
): Promise<RunRecord> {
  const masterDir = mkdtempSync(join(tmpdir(), `clean-rocketmq-peer-${side}-master-`));
  const slaveDir = mkdtempSync(join(tmpdir(), `clean-rocketmq-peer-${side}-slave-`));
  const logDir = join(options.logRoot, `${workload.id}-${side}-${round}`);
  mkdirSync(logDir, { recursive: true });
  const launch: BrokerLaunch = {
    dataDir: masterDir,
    cpus: options.brokerCpus,
    flushDiskType: workload.flushDiskType,
    logDir,
    extraConf: side === 'ours' ? options.oursExtraConf : undefined,
    brokerRole: workload.ha,
  };
  const topic = `Bench${workload.id.replace(/[^A-Za-z0-9]/g, '')}`;
  const started: { master?: RunningBroker; slave?: RunningSlave } = {};
  const admin = new RemotingClient({ name: 'bench-peer-ha', logger: createJsonLogger('error') });
  try {
    const { master, slave } = await startPair(options, side, launch, slaveDir, started);
    await ensureTopic(master.brokerAddr, topic, QUEUE_COUNT, master.namesrvAddr);
    const watch = new PairWatch(admin, master.brokerAddr, slave, topic);
    const run = await runOfficial(options, workload, master, topic, masterDir, logDir, watch);
    const stored = run.usage.cpuUsPerMsg === 0 ? 0 : run.usage.cpuUs / run.usage.cpuUsPerMsg;
    const slaveWindow = watch.slaveWindow ?? new ProcessMeter(slave.brokerPid).finish();
    const probed = options.probeSeconds > 0 && workload.probe;
    const probe = probed ? await runProbe(options, workload, master, topic, logDir) : null;
    return {
      workload: workload.id,
      side,
      round,
      startupMs: master.startupMs,
      official: run.official,
      broker: pairUsage(run.usage, slaveWindow, stored),
      machineBusyCores: run.machineBusyCores,
      probe,
      processes: [processUsage('master', run.usage, stored), processUsage('slave', slaveWindow, stored)],
      replication: watch.lag(),
      error: null,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const startupMs = started.master?.startupMs ?? null;
    return {
      workload: workload.id,
      side,
      round,
      startupMs,
      official: null,
      broker: null,
      machineBusyCores: null,
      probe: null,
      error: message,
    };
  } finally {
    await admin.close();
    await started.slave?.stop();
    await started.master?.stop();
    rmSync(masterDir, { recursive: true, force: true });
    rmSync(slaveDir, { recursive: true, force: true });
  }
}
