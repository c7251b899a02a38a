// The load generator behind `npm run bench:broker` and the latency phase of `npm run bench:peer`:
// N concurrent in-flight senders (SEND_MESSAGE_V2, or SEND_BATCH_MESSAGE of K) on one connection,
// as the Java benchmark Producer's threads share one; optionally one long-polling puller per queue
// measuring end-to-end latency and lag. Prints RocketMQ benchmark lines every second. Depends on
// ts/remoting, load-protocol.ts, histogram.ts, proc-stats.ts, ts/common/logger.ts.

import { setTimeout as sleep } from 'node:timers/promises';
import { createJsonLogger } from '../ts/common/logger.js';
import { ResponseCode } from '../ts/remoting/codes.js';
import { RemotingClient } from '../ts/remoting/remoting-client.js';
import type { SerializeType } from '../ts/remoting/remoting-command.js';
import { type LatencySummary, LatencyHistogram } from './histogram.js';
import {
  batchMemberSizeBytes,
  encodeBatchMember,
  maxOffset,
  messageProperties,
  pullMessage,
  sendBatch,
  sendMessageV2,
  UniqueKeys,
} from './load-protocol.js';
import { cpus } from 'node:os';
import { busyCores, ProcessMeter, type ProcessWindow, readSystemCpu } from './proc-stats.js';

export interface LoadConfig {
  readonly brokerAddr: string;
  readonly topic: string;
  readonly queueCount: number;
  /** Concurrent in-flight senders. */
  readonly threads: number;
  readonly sizeBytes: number;
  /** Messages per request: 1 = SEND_MESSAGE_V2, more = SEND_BATCH_MESSAGE. */
  readonly batch: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly consume: boolean;
  readonly serializeType: SerializeType;
  /** The broker process, for CPU and RSS over the measured window. */
  readonly brokerPid?: number;
  readonly print: (line: string) => void;
}

export interface BrokerUsage extends ProcessWindow {
  readonly cpuUsPerMsg: number;
}

export interface LoadResult {
  readonly windowSeconds: number;
  readonly messages: number;
  readonly requests: number;
  /** Messages per second over the measured window. */
  readonly tps: number;
  readonly mbPerSec: number;
  readonly sendRt: LatencySummary;
  readonly sendFailed: number;
  readonly responseFailed: number;
  readonly consumed: number;
  readonly consumeTps: number;
  readonly e2e: LatencySummary | null;
  readonly endLag: number;
  readonly maxLag: number;
  readonly broker: BrokerUsage | null;
  readonly clientCpuUsPerMsg: number;
  /** Busy cores of the whole machine over the window (broker, load generator and anything else). */
  readonly machineBusyCores: number;
  readonly perSecond: PerSecond[];
}

export interface PerSecond {
  readonly second: number;
  readonly sendTps: number;
  readonly avgRtMs: number;
  readonly consumeTps: number;
  readonly lag: number;
}

const REPORT_INTERVAL_MS = 1000;
const SEND_TIMEOUT_MS = 3000;
/** After a failure a sender pauses (Java's benchmark Producer sleeps 3 s). */
const FAILURE_PAUSE_MS = 1000;
const PULL_BATCH = 32;
const PULL_SUSPEND_MS = 1000;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Mutable counters of one reporting interval and of the measured window. */
class Counters {
  sent = 0;
  requests = 0;
  rtSumUs = 0;
  sendFailed = 0;
  responseFailed = 0;
  consumed = 0;
  b2cSumMs = 0;
  b2cMaxMs = 0;
}

function randomBody(sizeBytes: number): Buffer {
  const body = Buffer.allocUnsafe(sizeBytes);
  for (let i = 0; i < sizeBytes; i++)
    body[i] = ALPHANUMERIC.charCodeAt(Math.floor(Math.random() * ALPHANUMERIC.length));
  return body;
}

/** Java `UtilAll.timeMillisToHumanString2`: "yyyy-MM-dd HH:mm:ss,SSS" in local time. */
function humanTime(date = new Date()): string {
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())},${pad(date.getMilliseconds(), 3)}`
  );
}

export class LoadRun {
  private readonly producer: RemotingClient;
  private readonly consumer: RemotingClient | null;
  private readonly keys = new UniqueKeys();
  private readonly sendRt = new LatencyHistogram();
  private readonly e2e = new LatencyHistogram();
  private interval = new Counters();
  private window = new Counters();
  private measuring = false;
  private stopped = false;
  private maxRtMs = 0;
  /** Per queue: the highest queue offset a send reply reported (+1), and the consumer's next offset. */
  private readonly producedUpTo: number[];
  private readonly consumedUpTo: number[];
  private maxLag = 0;
  private readonly perSecond: PerSecond[] = [];

  constructor(private readonly config: LoadConfig) {
    const logger = createJsonLogger('error', { role: 'bench' });
    this.producer = new RemotingClient({ name: 'bench-producer', logger });
    this.consumer = config.consume ? new RemotingClient({ name: 'bench-consumer', logger }) : null;
    this.producedUpTo = new Array<number>(config.queueCount).fill(0);
    this.consumedUpTo = new Array<number>(config.queueCount).fill(0);
  }

  async run(): Promise<LoadResult> {
    const { config } = this;
    if (this.consumer !== null) await this.startOffsets(this.consumer);
    const meter = config.brokerPid === undefined ? null : new ProcessMeter(config.brokerPid);
    const ticker = setInterval(() => this.report(), REPORT_INTERVAL_MS);
    const workers: Array<Promise<void>> = [];
    for (let i = 0; i < config.threads; i++) workers.push(this.senderLoop(i));
    for (let queueId = 0; queueId < config.queueCount && this.consumer !== null; queueId++)
      workers.push(this.pullLoop(this.consumer, queueId));

    await sleep(config.warmupSeconds * 1000);
    this.startWindow(meter);
    const clientCpuAtMark = process.cpuUsage();
    const systemAtMark = readSystemCpu();
    const markedAt = performance.now();
    await sleep(config.seconds * 1000);
    const windowMs = performance.now() - markedAt;
    const machineBusyCores = busyCores(systemAtMark, readSystemCpu(), cpus().length);
    const brokerWindow = meter?.finish() ?? null;
    const clientCpu = process.cpuUsage(clientCpuAtMark);
    const window = this.window;
    const e2e = this.config.consume ? this.e2e.summary() : null;
    const sendRt = this.sendRt.summary();
    this.measuring = false;
    this.stopped = true;
    clearInterval(ticker);
    await this.consumer?.close();
    await Promise.all(workers);
    await this.producer.close();

    const windowSeconds = windowMs / 1000;
    const messages = window.sent;
    return {
      windowSeconds,
      messages,
      requests: window.requests,
      tps: messages / windowSeconds,
      mbPerSec: (messages * config.sizeBytes) / windowSeconds / 1_000_000,
      sendRt,
      sendFailed: window.sendFailed,
      responseFailed: window.responseFailed,
      consumed: window.consumed,
      consumeTps: window.consumed / windowSeconds,
      e2e,
      endLag: this.currentLag(),
      maxLag: this.maxLag,
      broker:
        brokerWindow === null
          ? null
          : { ...brokerWindow, cpuUsPerMsg: messages === 0 ? 0 : brokerWindow.cpuUs / messages },
      clientCpuUsPerMsg: messages === 0 ? 0 : (clientCpu.user + clientCpu.system) / messages,
      machineBusyCores,
      perSecond: this.perSecond,
    };
  }

  private startWindow(meter: ProcessMeter | null): void {
    this.window = new Counters();
    this.sendRt.reset();
    this.e2e.reset();
    this.maxLag = 0;
    this.measuring = true;
    meter?.mark();
  }

  /** The consumer starts at each queue's current end, the producer's view starts there too. */
  private async startOffsets(consumer: RemotingClient): Promise<void> {
    for (let queueId = 0; queueId < this.config.queueCount; queueId++) {
      const offset = await maxOffset(consumer, this.config.brokerAddr, this.config.topic, queueId);
      this.producedUpTo[queueId] = offset;
      this.consumedUpTo[queueId] = offset;
    }
  }

  private async senderLoop(index: number): Promise<void> {
    const { config } = this;
    const body = randomBody(config.sizeBytes);
    const withTimestamp = config.consume && config.sizeBytes >= 8;
    const propertiesLength = messageProperties(this.keys.next()).length;
    const members =
      config.batch > 1
        ? Buffer.allocUnsafe(config.batch * batchMemberSizeBytes(config.sizeBytes, propertiesLength))
        : null;
    let queueId = index % config.queueCount;
    while (!this.stopped) {
      if (withTimestamp) body.writeDoubleLE(performance.now(), 0);
      let request;
      if (members === null) {
        request = sendMessageV2(config.topic, queueId, body, messageProperties(this.keys.next()), config.serializeType);
      } else {
        let at = 0;
        for (let i = 0; i < config.batch; i++)
          at = encodeBatchMember(body, messageProperties(this.keys.next()), members, at);
        request = sendBatch(config.topic, queueId, members, config.serializeType);
      }
      const startedAt = performance.now();
      try {
        const reply = await this.producer.invoke(config.brokerAddr, request, SEND_TIMEOUT_MS);
        if (reply.code === ResponseCode.SUCCESS) {
          this.onSent(queueId, (performance.now() - startedAt) * 1000, Number(reply.extFields['queueOffset']));
        } else {
          this.count((c) => (c.responseFailed += 1));
          if (!this.stopped) await sleep(FAILURE_PAUSE_MS);
        }
      } catch {
        if (this.stopped) break;
        this.count((c) => (c.sendFailed += 1));
        await sleep(FAILURE_PAUSE_MS);
      }
      queueId = (queueId + 1) % config.queueCount;
    }
  }

  private onSent(queueId: number, rtUs: number, queueOffset: number): void {
    const messages = this.config.batch;
    for (const c of this.measuring ? [this.interval, this.window] : [this.interval]) {
      c.sent += messages;
      c.requests += 1;
      c.rtSumUs += rtUs;
    }
    if (this.measuring) this.sendRt.record(rtUs);
    this.maxRtMs = Math.max(this.maxRtMs, Math.round(rtUs / 1000));
    // A batch reply carries the queue offset of its first message.
    const upTo = queueOffset + messages;
    if (upTo > (this.producedUpTo[queueId] ?? 0)) this.producedUpTo[queueId] = upTo;
  }

  private count(update: (counters: Counters) => void): void {
    update(this.interval);
    if (this.measuring) update(this.window);
  }

  private async pullLoop(consumer: RemotingClient, queueId: number): Promise<void> {
    const { config } = this;
    while (!this.stopped) {
      const offset = this.consumedUpTo[queueId] ?? 0;
      let reply;
      try {
        reply = await consumer.invoke(
          config.brokerAddr,
          pullMessage(config.topic, queueId, offset, PULL_BATCH, PULL_SUSPEND_MS),
          PULL_SUSPEND_MS + SEND_TIMEOUT_MS,
        );
      } catch {
        if (this.stopped) break;
        await sleep(100);
        continue;
      }
      const next = Number(reply.extFields['nextBeginOffset'] ?? offset);
      if (reply.code === ResponseCode.SUCCESS && reply.body !== null) this.onPulled(reply.body);
      else if (
        reply.code !== ResponseCode.PULL_NOT_FOUND &&
        reply.code !== ResponseCode.PULL_RETRY_IMMEDIATELY &&
        reply.code !== ResponseCode.PULL_OFFSET_MOVED
      ) {
        await sleep(100);
      }
      if (Number.isFinite(next)) this.consumedUpTo[queueId] = next;
    }
  }

  /** Walks the records of a PULL body: only the timestamps and the body's first 8 bytes are read. */
  private onPulled(records: Buffer): void {
    const nowMs = Date.now();
    const nowPerf = performance.now();
    let count = 0;
    let at = 0;
    while (at + 8 <= records.length) {
      const total = records.readInt32BE(at);
      if (total <= 0 || at + total > records.length) break;
      const sysFlag = records.readInt32BE(at + 36);
      const bornTimestamp = Number(records.readBigInt64BE(at + 40));
      const bornHostBytes = (sysFlag & 0x10) !== 0 ? 20 : 8;
      const storeHostBytes = (sysFlag & 0x20) !== 0 ? 20 : 8;
      const bodyLengthAt = at + 48 + bornHostBytes + 8 + storeHostBytes + 4 + 8;
      const bodyLength = records.readInt32BE(bodyLengthAt);
      if (this.config.consume && bodyLength >= 8 && this.measuring)
        this.e2e.record((nowPerf - records.readDoubleLE(bodyLengthAt + 4)) * 1000);
      const b2cMs = nowMs - bornTimestamp;
      this.interval.b2cSumMs += b2cMs;
      this.interval.b2cMaxMs = Math.max(this.interval.b2cMaxMs, b2cMs);
      count += 1;
      at += total;
    }
    this.count((c) => (c.consumed += count));
  }

  private currentLag(): number {
    let lag = 0;
    for (let queueId = 0; queueId < this.config.queueCount; queueId++) {
      lag += Math.max(0, (this.producedUpTo[queueId] ?? 0) - (this.consumedUpTo[queueId] ?? 0));
    }
    return lag;
  }

  private report(): void {
    const c = this.interval;
    this.interval = new Counters();
    const avgRtMs = c.requests === 0 ? 0 : c.rtSumUs / c.requests / 1000;
    const time = humanTime();
    const failed = `Send Failed: ${c.sendFailed} | Response Failed: ${c.responseFailed}`;
    if (this.config.batch > 1) {
      this.config.print(
        `Current Time: ${time} | Send TPS: ${c.requests} | Send MPS: ${c.sent} | Max RT(ms): ${this.maxRtMs} | ` +
          `Average RT(ms): ${avgRtMs.toFixed(3).padStart(7)} | ` +
          `Average Message RT(ms): ${(avgRtMs / this.config.batch).toFixed(3).padStart(7)} | ${failed}`,
      );
    } else {
      this.config.print(
        `Current Time: ${time} | Send TPS: ${c.sent} | Max RT(ms): ${this.maxRtMs} | ` +
          `Average RT(ms): ${avgRtMs.toFixed(3).padStart(7)} | ${failed}`,
      );
    }
    const lag = this.consumer === null ? 0 : this.currentLag();
    if (this.measuring) this.maxLag = Math.max(this.maxLag, lag);
    if (this.consumer !== null) {
      const avgB2c = c.consumed === 0 ? 0 : c.b2cSumMs / c.consumed;
      this.config.print(
        `Current Time: ${time} | Consume TPS: ${c.consumed} | AVG(B2C) RT(ms): ${avgB2c.toFixed(3).padStart(7)} | ` +
          `MAX(B2C) RT(ms): ${c.b2cMaxMs} | Consume Fail: 0 | Lag: ${lag}`,
      );
    }
    this.perSecond.push({ second: this.perSecond.length + 1, sendTps: c.sent, avgRtMs, consumeTps: c.consumed, lag });
  }
}

export function runLoad(config: LoadConfig): Promise<LoadResult> {
  return new LoadRun(config).run();
}
