// The cluster and broker commands of `clean-rocketmq admin` (mqadmin's clusterList, brokerStatus,
// getBrokerConfig, updateBrokerConfig): their flags and their output as mqadmin lays it out, or `--json`.
// Depends on commander, admin-io.ts, ts/client/admin.

import type { Command } from 'commander';
import type { Admin } from '../client/admin/admin.js';
import {
  type AdminIo,
  AdminUsageError,
  brokerOrCluster,
  type CommonOptions,
  guardedAction,
  left,
  printResult,
  right,
  withAdmin,
  withCommonOptions,
} from './admin-io.js';

/** One broker of `clusterList`, with what its runtime info says. */
interface ClusterRow {
  readonly clusterName: string;
  readonly brokerName: string;
  readonly brokerId: string;
  readonly address: string;
  readonly runtime: Record<string, string>;
}

async function clusterRows(admin: Admin, only: string | undefined): Promise<ClusterRow[]> {
  const info = await admin.clusterInfo();
  const rows: ClusterRow[] = [];
  const clusters = only === undefined ? Object.keys(info.clusterAddrTable).sort() : [only];
  for (const clusterName of clusters) {
    for (const brokerName of [...(info.clusterAddrTable[clusterName] ?? [])].sort()) {
      const broker = info.brokerAddrTable[brokerName];
      for (const [brokerId, address] of Object.entries(broker?.brokerAddrs ?? {})) {
        // As mqadmin: a broker that does not answer still gets its row, with empty statistics.
        const runtime = await admin.brokerRuntimeInfo(address).catch(() => ({}));
        rows.push({ clusterName, brokerName, brokerId, address, runtime });
      }
    }
  }
  return rows;
}

const firstNumber = (text: string | undefined): number => Number((text ?? '').split(' ')[0]) || 0;

function clusterLine(row: ClusterRow, nowMs: number): string {
  const kv = row.runtime;
  const earliest = Number(kv['earliestMessageTimeStamp'] ?? '');
  const hours = Number.isFinite(earliest) && earliest > 0 ? (nowMs - earliest) / 3_600_000 : 0;
  const inTps = `${firstNumber(kv['putTps']).toFixed(2).padStart(9)}(${kv['sendThreadPoolQueueSize'] ?? ''},${
    kv['sendThreadPoolQueueHeadWaitTimeMills'] ?? ''
  }ms)`;
  const outRate = firstNumber(kv['getTransferredTps']).toFixed(2).padStart(9);
  const outTps = `${outRate}(${kv['pullThreadPoolQueueSize'] ?? ''},${
    kv['pullThreadPoolQueueHeadWaitTimeMills'] ?? ''
  }ms|${kv['ackThreadPoolQueueSize'] ?? 'N'},${kv['ackThreadPoolQueueHeadWaitTimeMills'] ?? 'N'}ms)`;
  const timer = `${kv['timerReadBehind'] ?? 0}-${kv['timerOffsetBehind'] ?? 0}(${(
    Number(kv['timerCongestNum'] ?? 0) / 10000
  ).toFixed(1)}w, ${Number(kv['timerEnqueueTps'] ?? 0).toFixed(1)}, ${Number(kv['timerDequeueTps'] ?? 0).toFixed(1)})`;
  return (
    `${left(row.clusterName, 22)}  ${left(row.brokerName, 22)}  ${left(row.brokerId, 4)}  ${left(row.address, 22)} ` +
    `${left(kv['brokerVersionDesc'] ?? '', 16)}  ${right(inTps, 16)}  ${right(outTps, 30)}  ${left(timer, 22)}  ` +
    `${right(kv['pageCacheLockTimeMills'] ?? '', 11)}  ${left(hours.toFixed(2), 12)}  ` +
    `${left(Number(kv['commitLogDiskRatio'] ?? 0).toFixed(4), 8)}  ` +
    `${right(String(kv['brokerActive'] === 'true'), 10)}\n`
  );
}

const CLUSTER_HEADER = [
  left('#Cluster Name', 22),
  '  ',
  left('#Broker Name', 22),
  '  ',
  left('#BID', 4),
  '  ',
  left('#Addr', 22),
  ' ',
  left('#Version', 16),
  '  ',
  right('#InTPS(LOAD)', 16),
  '  ',
  right('#OutTPS(LOAD)', 30),
  '  ',
  left('#Timer(Progress)', 22),
  '  ',
  left('#PCWait(ms)', 11),
  '  ',
  left('#Hour', 12),
  '  ',
  left('#SPACE', 8),
  '  ',
  left('#ACTIVATED', 10),
].join('');

function clusterList(io: AdminIo) {
  return guardedAction('clusterList', io, async (options: CommonOptions & { clusterName?: string }) => {
    const rows = await withAdmin(options, io, (admin) => clusterRows(admin, options.clusterName?.trim()));
    const data = rows.map(({ runtime, ...row }) => ({ ...row, version: runtime['brokerVersionDesc'] ?? '' }));
    printResult(options, io, data, () => {
      io.out(`${CLUSTER_HEADER}\n`);
      const nowMs = Date.now();
      for (const row of rows) io.out(clusterLine(row, nowMs));
    });
  });
}

/** The brokers a `-b`/`-c` command reads: the one given, or every master of the cluster. */
async function readTargets(admin: Admin, options: { brokerAddr?: string; clusterName?: string }): Promise<string[]> {
  const target = brokerOrCluster(options);
  if (target.brokerAddr !== undefined) return [target.brokerAddr];
  return (await admin.masterBrokers(target.clusterName)).map((broker) => broker.address).sort();
}

type BrokerOptions = CommonOptions & { brokerAddr?: string; clusterName?: string };

function brokerStatus(io: AdminIo) {
  return guardedAction('brokerStatus', io, async (options: BrokerOptions) => {
    const tables = await withAdmin(options, io, async (admin) => {
      const result: Record<string, Record<string, string>> = {};
      for (const address of await readTargets(admin, options)) result[address] = await admin.brokerRuntimeInfo(address);
      return result;
    });
    printResult(options, io, tables, () => {
      const byCluster = options.brokerAddr === undefined;
      for (const [address, table] of Object.entries(tables)) {
        for (const key of Object.keys(table).sort()) {
          const value = table[key] ?? '';
          io.out(byCluster ? `${left(address, 24)} ${left(key, 32)}: ${value}\n` : `${left(key, 32)}: ${value}\n`);
        }
      }
    });
  });
}

function getBrokerConfig(io: AdminIo) {
  return guardedAction('getBrokerConfig', io, async (options: BrokerOptions) => {
    const configs = await withAdmin(options, io, async (admin) => {
      const result: Record<string, Record<string, string>> = {};
      for (const address of await readTargets(admin, options)) result[address] = await admin.brokerConfig(address);
      return result;
    });
    printResult(options, io, configs, () => {
      for (const [address, config] of Object.entries(configs)) {
        io.out(options.brokerAddr === undefined ? `============Master: ${address}============\n` : '');
        io.out(options.brokerAddr === undefined ? '' : `============${address}============\n`);
        for (const [key, value] of Object.entries(config)) io.out(`${left(key, 50)}=  ${value}\n`);
        io.out('\n');
      }
    });
  });
}

function updateBrokerConfig(io: AdminIo) {
  return guardedAction('updateBrokerConfig', io, async (options: BrokerOptions & { key: string; value: string }) => {
    const key = options.key.trim();
    if (key === '') throw new AdminUsageError('the config key (-k) is empty');
    const target = brokerOrCluster(options);
    const written = await withAdmin(options, io, (admin) =>
      admin.updateBrokerConfig({ [key]: options.value.trim() }, target),
    );
    printResult(options, io, { key, value: options.value.trim(), brokers: written }, () => {
      for (const address of written) io.out(`update broker config success, ${address}\n`);
    });
  });
}

/** Adds the cluster and broker commands to `admin`. */
export function addClusterCommands(admin: Command, io: AdminIo): void {
  withCommonOptions(admin.command('clusterList').description('List cluster infos'))
    .option('-c, --clusterName <name>', 'which cluster')
    .action(clusterList(io));
  withCommonOptions(admin.command('brokerStatus').description('Fetch broker runtime status data'))
    .option('-b, --brokerAddr <addr>', 'Broker address')
    .option('-c, --clusterName <name>', 'which cluster')
    .action(brokerStatus(io));
  withCommonOptions(admin.command('getBrokerConfig').description('Get broker config by cluster or special broker'))
    .option('-b, --brokerAddr <addr>', 'get which broker')
    .option('-c, --clusterName <name>', 'get which cluster')
    .action(getBrokerConfig(io));
  withCommonOptions(admin.command('updateBrokerConfig').description('Update broker config by special broker or all'))
    .option('-b, --brokerAddr <addr>', 'update which broker')
    .option('-c, --clusterName <name>', 'update which cluster')
    .requiredOption('-k, --key <key>', 'config key')
    .requiredOption('-v, --value <value>', 'config value')
    .action(updateBrokerConfig(io));
}
