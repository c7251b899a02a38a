// What the benchmarks read from /proc (Linux only): a process's CPU time (utime + stime, all
// threads) and memory (VmRSS, RssAnon), the machine's busy time, a sampler keeping peaks, and the
// pid listening on a TCP port. Depends on node:fs and node:child_process (getconf).

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

let clockTicksPerSecond: number | undefined;

function ticksPerSecond(): number {
  if (clockTicksPerSecond === undefined) {
    try {
      clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicksPerSecond = 100; // Linux's USER_HZ on every common architecture
    }
  }
  return clockTicksPerSecond;
}

/** utime + stime of `pid` (every thread, not children) in microseconds. */
export function readCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1_000_000) / ticksPerSecond();
}

export interface MemorySample {
  readonly rssBytes: number;
  /** Anonymous memory (heap, native): compare this, not VmRSS, with a broker that maps its CommitLog. */
  readonly rssAnonBytes: number;
}

export function readMemory(pid: number): MemorySample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string): number => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
    return match === null ? 0 : Number(match[1]) * 1024;
  };
  return { rssBytes: kib('VmRSS'), rssAnonBytes: kib('RssAnon') };
}

export interface SystemCpuSample {
  /** All jiffies of all cores. */
  readonly totalTicks: number;
  /** Idle and iowait jiffies. */
  readonly idleTicks: number;
}

export function readSystemCpu(): SystemCpuSample {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const totalTicks = values.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return { totalTicks, idleTicks: (values[3] ?? 0) + (values[4] ?? 0) };
}

/** Busy cores over the interval (0..number of cores). */
export function busyCores(before: SystemCpuSample, after: SystemCpuSample, cores: number): number {
  const total = after.totalTicks - before.totalTicks;
  if (total <= 0) return 0;
  return ((total - (after.idleTicks - before.idleTicks)) / total) * cores;
}

/** CPU and memory of one process between `mark()` and `finish()`, memory sampled every interval. */
export class ProcessMeter {
  private timer: NodeJS.Timeout | null = null;
  private cpuAtMarkUs = 0;
  private markedAt = 0;
  private peak: MemorySample = { rssBytes: 0, rssAnonBytes: 0 };
  private last: MemorySample = { rssBytes: 0, rssAnonBytes: 0 };
  private samples: ProcessSample[] = [];

  constructor(
    readonly pid: number,
    private readonly intervalMs = 1000,
  ) {}

  /** Starts (or restarts) the measured window. */
  mark(): void {
    this.cpuAtMarkUs = readCpuMicros(this.pid);
    this.markedAt = performance.now();
    this.peak = { rssBytes: 0, rssAnonBytes: 0 };
    this.samples = [];
    this.sample();
    if (this.timer === null) {
      this.timer = setInterval(() => this.sample(), this.intervalMs);
      this.timer.unref();
    }
  }

  /** Ends the window: CPU used since mark() and the memory peaks and last values. */
  finish(): ProcessWindow {
    this.sample();
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    const cpuUs = readCpuMicros(this.pid) - this.cpuAtMarkUs;
    const elapsedMs = performance.now() - this.markedAt;
    return {
      cpuUs,
      cores: cpuUs / 1000 / elapsedMs,
      peakRssBytes: this.peak.rssBytes,
      peakRssAnonBytes: this.peak.rssAnonBytes,
      endRssBytes: this.last.rssBytes,
      endRssAnonBytes: this.last.rssAnonBytes,
      samples: this.samples,
    };
  }

  private sample(): void {
    try {
      this.last = readMemory(this.pid);
      const atMs = Math.round(performance.now() - this.markedAt);
      this.samples.push({ atMs, cpuUs: Math.round(readCpuMicros(this.pid) - this.cpuAtMarkUs), ...this.last });
    } catch {
      return; // the process is gone; keep what was seen
    }
    this.peak = {
      rssBytes: Math.max(this.peak.rssBytes, this.last.rssBytes),
      rssAnonBytes: Math.max(this.peak.rssAnonBytes, this.last.rssAnonBytes),
    };
  }
}

export interface ProcessWindow {
  readonly cpuUs: number;
  /** Average cores used over the window. */
  readonly cores: number;
  readonly peakRssBytes: number;
  readonly peakRssAnonBytes: number;
  readonly endRssBytes: number;
  readonly endRssAnonBytes: number;
  /** One sample per interval: CPU used since mark() and memory. */
  readonly samples: ProcessSample[];
}

export interface ProcessSample extends MemorySample {
  readonly atMs: number;
  readonly cpuUs: number;
}

/** The pid holding a listening TCP socket on `port` (IPv4 or IPv6), or undefined. */
export function findListeningPid(port: number): number | undefined {
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // fields: sl local_address rem_address st ... inode (index 9); 0A = LISTEN
      if (fields[1]?.endsWith(`:${portHex}`) === true && fields[3] === '0A' && fields[9] !== undefined)
        inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${entry}/fd/${fd}`);
        if (target.startsWith('socket:[') && inodes.has(target.slice(8, -1))) return Number(entry);
      } catch {
        // the fd closed while we looked
      }
    }
  }
  return undefined;
}
