// The W1-ha-* rows of bench:peer's report (bench/peer-report.ts): the replication lag's medians over runs get
// a row of their own, and the workloads are W1 against a pair (bench/peer-ha.ts).

import { describe, expect, it } from 'vitest';
import { markdownTables, summarize } from '../../bench/peer-report.js';
import type { RunRecord } from '../../bench/peer-run.js';
import { WORKLOADS } from '../../bench/peer-workloads.js';

const w1 = WORKLOADS.find((workload) => workload.id === 'W1')!;
const sync = WORKLOADS.find((workload) => workload.id === 'W1-ha-sync')!;

function run(side: 'ours' | 'rocketmq', replication: RunRecord['replication']): RunRecord {
  return {
    workload: 'W1-ha-sync',
    side,
    round: 1,
    startupMs: 1000,
    official: null,
    broker: null,
    machineBusyCores: 1,
    probe: null,
    replication,
    error: null,
  };
}

describe('bench:peer report, W1-ha-*', () => {
  it('are W1 against an ASYNC_MASTER or a SYNC_MASTER pair', () => {
    const async = WORKLOADS.find((workload) => workload.id === 'W1-ha-async')!;
    expect([async.ha, sync.ha]).toEqual(['ASYNC_MASTER', 'SYNC_MASTER']);
    for (const workload of [async, sync])
      expect({ ...workload, id: w1.id, label: w1.label, ha: undefined }).toEqual({ ...w1, ha: undefined });
  });

  it('reports the medians of the replication lag', () => {
    const lag = (maxMsgs: number, avgMsgs: number) => ({ samples: 8, maxMsgs, avgMsgs, endMsgs: 0 });
    const runs = [
      run('ours', lag(100, 40)),
      run('ours', lag(300, 60)),
      run('rocketmq', lag(1000, 500)),
      run('rocketmq', { samples: 0, maxMsgs: null, avgMsgs: null, endMsgs: null }),
    ];
    const [summary] = summarize([sync], runs);
    expect([summary?.ours.replicationLagMax, summary?.ours.replicationLagAvg]).toEqual([200, 50]);
    expect([summary?.rocketmq.replicationLagMax, summary?.rocketmq.replicationLagAvg]).toEqual([1000, 500]);
    const row = markdownTables([summary!]).find((line) => line.startsWith('| replication lag'));
    expect(row).toContain('| 200 / 50 | 1,000 / 500 |');
  });

  it('has no replication row for the other workloads', () => {
    const [summary] = summarize([w1], [{ ...run('ours', undefined), workload: 'W1' }]);
    expect(summary?.ours.replicationLagMax).toBeUndefined();
    expect(markdownTables([summary!]).some((line) => line.startsWith('| replication lag'))).toBe(false);
  });
});
