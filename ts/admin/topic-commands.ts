// The topic commands of `clean-rocketmq admin` (mqadmin's updateTopic, deleteTopic, topicList,
// topicRoute, topicStatus): their flags and their output as mqadmin lays it out, or `--json`.
// Depends on commander, admin-io.ts, ts/client/admin, ts/protocol/route-types.ts.

import type { Command } from 'commander';
import { PERM_INHERIT, PERM_READ, PERM_WRITE } from '../protocol/route-types.js';
import {
  type AdminIo,
  AdminUsageError,
  brokerOrCluster,
  type CommonOptions,
  formatHumanTime,
  front,
  guardedAction,
  left,
  parseBoolFlag,
  parseIntFlag,
  printResult,
  withAdmin,
  withCommonOptions,
} from './admin-io.js';

interface UpdateTopicOptions extends CommonOptions {
  topic: string;
  brokerAddr?: string;
  clusterName?: string;
  readQueueNums?: string;
  writeQueueNums?: string;
  perm?: string;
  order?: string;
}

/** Java `Double.toString` for the plain values a rate takes ("0.0", "12.5"). */
function javaDouble(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** Java `PermName.perm2String`: "RW-" for 6. */
export function permText(perm: number): string {
  return `${perm & PERM_READ ? 'R' : '-'}${perm & PERM_WRITE ? 'W' : '-'}${perm & PERM_INHERIT ? 'X' : '-'}`;
}

function updateTopic(io: AdminIo) {
  return guardedAction('updateTopic', io, async (options: UpdateTopicOptions) => {
    const target = brokerOrCluster(options);
    const topic = options.topic.trim();
    const config = {
      topicName: topic,
      readQueueNums: parseIntFlag('readQueueNums', options.readQueueNums, 8),
      writeQueueNums: parseIntFlag('writeQueueNums', options.writeQueueNums, 8),
      perm: parseIntFlag('perm', options.perm, PERM_READ | PERM_WRITE),
      order: parseBoolFlag(options.order, false),
    };
    if (![2, 4, 6].includes(config.perm)) throw new AdminUsageError('perm must be 2 (W), 4 (R) or 6 (RW)');
    const written = await withAdmin(options, io, (admin) => admin.createTopic(topic, { ...config, ...target }));
    printResult(options, io, { ...config, brokers: written }, () => {
      for (const addr of written) io.out(`create topic to ${addr} success.\n`);
      io.out(
        `TopicConfig [topicName=${topic}, readQueueNums=${config.readQueueNums}, writeQueueNums=` +
          `${config.writeQueueNums}, perm=${permText(config.perm)}, topicFilterType=SINGLE_TAG, topicSysFlag=0, ` +
          `order=${config.order}, attributes={}]\n`,
      );
    });
  });
}

function deleteTopic(io: AdminIo) {
  return guardedAction('deleteTopic', io, async (options: CommonOptions & { topic: string; clusterName: string }) => {
    const topic = options.topic.trim();
    const clusterName = options.clusterName.trim();
    await withAdmin(options, io, async (admin) => {
      await admin.topicRoute(topic);
      await admin.deleteTopic(topic, clusterName);
    });
    printResult(options, io, { topic, clusterName, deleted: true }, () => {
      io.out(`delete topic [${topic}] from cluster [${clusterName}] success.\n`);
      io.out(`delete topic [${topic}] from NameServer success.\n`);
    });
  });
}

function topicList(io: AdminIo) {
  return guardedAction('topicList', io, async (options: CommonOptions) => {
    const topics = await withAdmin(options, io, (admin) => admin.topicList());
    printResult(options, io, topics, () => io.out(topics.map((topic) => `${topic}\n`).join('')));
  });
}

const ROUTE_ROW = (cells: readonly (string | number)[]): string =>
  `${left(cells[0] ?? '', 45)} ${left(cells[1] ?? '', 32)} ${left(cells[2] ?? '', 50)} ` +
  `${left(cells[3] ?? '', 10)} ${left(cells[4] ?? '', 11)} ${left(cells[5] ?? '', 5)}\n`;

function topicRoute(io: AdminIo) {
  return guardedAction('topicRoute', io, async (options: CommonOptions & { topic: string; list?: boolean }) => {
    const route = await withAdmin(options, io, (admin) => admin.topicRoute(options.topic.trim()));
    if (options.list !== true || options.json === true) {
      io.out(`${JSON.stringify(route, null, 2)}\n`);
      return;
    }
    io.out(ROUTE_ROW(['#ClusterName', '#BrokerName', '#BrokerAddrs', '#ReadQueue', '#WriteQueue', '#Perm']));
    let read = 0;
    let write = 0;
    for (const broker of route.brokerDatas) {
      const queue = route.queueDatas.find((q) => q.brokerName === broker.brokerName);
      read += queue?.readQueueNums ?? 0;
      write += queue?.writeQueueNums ?? 0;
      const addrs = `{${Object.entries(broker.brokerAddrs)
        .map(([id, addr]) => `${id}=${addr}`)
        .join(', ')}}`;
      io.out(
        ROUTE_ROW([
          broker.cluster,
          broker.brokerName,
          addrs,
          queue?.readQueueNums ?? 0,
          queue?.writeQueueNums ?? 0,
          queue?.perm ?? 0,
        ]),
      );
    }
    io.out('\n');
    io.out(ROUTE_ROW(['Total:', route.brokerDatas.length, '', read, write, '']));
  });
}

function topicStatus(io: AdminIo) {
  return guardedAction('topicStatus', io, async (options: CommonOptions & { topic: string }) => {
    const stats = await withAdmin(options, io, (admin) => admin.topicStats(options.topic.trim()));
    printResult(options, io, stats, () => {
      io.out(`${left('#Broker Name', 32)}  ${left('#QID', 4)}  ${left('#Min Offset', 20)}  `);
      io.out(`${left('#Max Offset', 20)}    #Last Updated\n`);
      for (const q of stats.queues) {
        const updated = q.lastUpdateTimestamp > 0 ? formatHumanTime(q.lastUpdateTimestamp) : '';
        io.out(`${left(front(q.messageQueue.brokerName, 32), 32)}  ${left(q.messageQueue.queueId, 4)}  `);
        io.out(`${left(q.minOffset, 20)}  ${left(q.maxOffset, 20)}    ${updated}\n`);
      }
      io.out(`\nTopic Put TPS: ${javaDouble(stats.topicPutTps)}\n`);
    });
  });
}

/** Adds the topic commands to `admin`. */
export function addTopicCommands(admin: Command, io: AdminIo): void {
  withCommonOptions(admin.command('updateTopic').description('Update or create topic'))
    .requiredOption('-t, --topic <topic>', 'topic name')
    .option('-b, --brokerAddr <addr>', 'create topic to which broker')
    .option('-c, --clusterName <name>', 'create topic to which cluster')
    .option('-r, --readQueueNums <n>', 'set read queue nums')
    .option('-w, --writeQueueNums <n>', 'set write queue nums')
    .option('-p, --perm <perm>', "set topic's permission(2|4|6), intro[2:W 4:R; 6:RW]")
    .option('-o, --order <bool>', "set topic's order(true|false)")
    .action(updateTopic(io));
  withCommonOptions(admin.command('deleteTopic').description('Delete topic from broker and NameServer.'))
    .requiredOption('-t, --topic <topic>', 'topic name')
    .requiredOption('-c, --clusterName <name>', 'delete topic from which cluster')
    .action(deleteTopic(io));
  withCommonOptions(admin.command('topicList').description('Fetch all topic list from name server')).action(
    topicList(io),
  );
  withCommonOptions(admin.command('topicRoute').description('Examine topic route info'))
    .requiredOption('-t, --topic <topic>', 'topic name')
    .option('-l, --list', 'Use list format to print data')
    .action(topicRoute(io));
  withCommonOptions(admin.command('topicStatus').description('Examine topic Status info'))
    .requiredOption('-t, --topic <topic>', 'topic name')
    .action(topicStatus(io));
}
