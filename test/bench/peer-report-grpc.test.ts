// The W11-grpc rows of bench:peer's report (bench/peer-report.ts): the broker side's usage is the sum of its
// processes (Apache: broker + proxy), and each process's memory and CPU per message get a row of their own.

import { describe, expect, it } from 'vitest';
import { markdownTables, summarize } from '../../bench/peer-report.js';
import type { RunRecord } from '../../bench/peer-run.js';
import { WORKLOADS } from '../../bench/peer-workloads.js';

const w11 = WORKLOADS.find((workload) => workload.id === 'W11-grpc')!;

function run(side: 'ours' | 'rocketmq', processes: RunRecord['processes']): RunRecord {
  return {
    workload: 'W11-grpc',
    side,
    round: 1,
    startupMs: 1000,
    official: null,
    broker: null,
    machineBusyCores: 1,
    probe: null,
    processes,
    error: null,
  };
}

describe('bench:peer report, W11-grpc', () => {
  it('is a gRPC workload that consumes', () => {
    expect(w11.grpc).toEqual({ producers: 1, inFlight: 64, consumers: 1, mode: 'push' });
    expect(w11.consume).toBe(true);
  });

  it('lists each server process with its RssAnon peak and CPU per message (medians over runs)', () => {
    const process = (role: string, rss: number, cpu: number) => ({
      role,
      cpuUsPerMsg: cpu,
      cores: 0.5,
      peakRssMiB: rss + 10,
      peakRssAnonMiB: rss,
    });
    const runs = [
      run('ours', [process('broker', 120, 250)]),
      run('ours', [process('broker', 130, 270)]),
      run('rocketmq', [process('broker', 500, 1100), process('proxy', 370, 1300), process('namesrv', 200, 20)]),
    ];
    const [summary] = summarize([w11], runs);
    expect(summary?.ours.processes).toBe('broker 125 MiB 260 µs/msg');
    expect(summary?.rocketmq.processes).toBe(
      'broker 500 MiB 1100 µs/msg, proxy 370 MiB 1300 µs/msg, namesrv 200 MiB 20 µs/msg',
    );
    const row = markdownTables([summary!]).find((line) => line.startsWith('| per process'));
    expect(row).toContain('| broker 125 MiB 260 µs/msg | broker 500 MiB');
  });

  it('has no per-process row for the Remoting workloads', () => {
    const w1 = WORKLOADS.find((workload) => workload.id === 'W1')!;
    const [summary] = summarize([w1], [{ ...run('ours', undefined), workload: 'W1' }]);
    expect(summary?.ours.processes).toBeUndefined();
    expect(markdownTables([summary!]).some((line) => line.startsWith('| per process'))).toBe(false);
  });
});
