// The consumer and producer commands of `clean-rocketmq admin` (mqadmin's consumerProgress,
// consumerConnection, producerConnection): their flags and their output as mqadmin lays it out, or
// `--json`. Depends on commander, admin-io.ts, ts/client/admin, ts/protocol (topics, versions).

import type { Command } from 'commander';
import type { Admin } from '../client/admin/admin.js';
import type { ConsumerConnection } from '../client/admin/admin-bodies.js';
import type { ConsumeStats } from '../client/admin/consume-stats.js';
import { RETRY_GROUP_TOPIC_PREFIX } from '../protocol/topics.js';
import { mqVersionDesc } from '../protocol/versions.js';
import {
  type AdminIo,
  type CommonOptions,
  formatDateTime,
  front,
  guardedAction,
  left,
  printResult,
  withAdmin,
  withCommonOptions,
} from './admin-io.js';

function printGroupProgress(io: AdminIo, stats: ConsumeStats): void {
  io.out(`${left('#Topic', 64)}  ${left('#Broker Name', 32)}  ${left('#QID', 4)}  ${left('#Broker Offset', 20)}  `);
  io.out(`${left('#Consumer Offset', 20)}  ${left('#Diff', 20)} ${left('#Inflight', 20)}#LastTime\n`);
  let inflightTotal = 0;
  for (const q of stats.queues) {
    const inflight = q.pullOffset - q.consumerOffset;
    inflightTotal += inflight;
    const lastTime = q.lastTimestamp === 0 ? 'N/A' : formatDateTime(q.lastTimestamp);
    io.out(`${left(front(q.messageQueue.topic, 64), 64)}  ${left(front(q.messageQueue.brokerName, 32), 32)}  `);
    io.out(`${left(q.messageQueue.queueId, 4)}  ${left(q.brokerOffset, 20)}  ${left(q.consumerOffset, 20)}  `);
    io.out(`${left(q.lag, 20)} ${left(inflight, 20)} ${lastTime}\n`);
  }
  io.out('\n');
  io.out(`Consume TPS: ${stats.consumeTps.toFixed(2)}\n`);
  io.out(`Consume Diff Total: ${stats.totalLag}\n`);
  io.out(`Consume Inflight Total: ${inflightTotal}\n`);
}

/** One line of `consumerProgress` without -g (Java `GroupConsumeInfo`). */
interface GroupSummary {
  readonly group: string;
  readonly count: number;
  readonly version: string;
  readonly consumeType: string;
  readonly messageModel: string;
  readonly consumeTps: number;
  readonly diffTotal: number;
}

async function groupSummaries(admin: Admin): Promise<GroupSummary[]> {
  const groups = (await admin.topicList())
    .filter((topic) => topic.startsWith(RETRY_GROUP_TOPIC_PREFIX))
    .map((topic) => topic.slice(RETRY_GROUP_TOPIC_PREFIX.length));
  const summaries: GroupSummary[] = [];
  for (const group of groups) {
    // As mqadmin: a group whose stats or connections cannot be read is listed as offline with no diff.
    const stats = await admin.consumeStats(group).catch(() => null);
    const connection: ConsumerConnection | null = await admin.consumerConnection(group).catch(() => null);
    const count = connection?.connections.length ?? 0;
    const minVersion = Math.min(...(connection?.connections.map((c) => c.version) ?? []));
    summaries.push({
      group,
      count,
      version: count > 0 ? mqVersionDesc(minVersion) : 'OFFLINE',
      consumeType: connection?.consumeType === 'CONSUME_ACTIVELY' ? 'PULL' : count > 0 ? 'PUSH' : '',
      messageModel: connection?.messageModel ?? '',
      consumeTps: Math.trunc(stats?.consumeTps ?? 0),
      diffTotal: stats?.totalLag ?? 0,
    });
  }
  return summaries;
}

function printGroupSummaries(io: AdminIo, summaries: readonly GroupSummary[]): void {
  io.out(`${left('#Group', 64)}  ${left('#Count', 6)}  ${left('#Version', 24)} ${left('#Type', 5)}  `);
  io.out(`${left('#Model', 14)}  ${left('#TPS', 7)}  #Diff Total\n`);
  for (const s of summaries) {
    io.out(`${left(front(s.group, 64), 64)}  ${left(s.count, 6)}  ${left(s.version, 24)} ${left(s.consumeType, 5)}  `);
    io.out(`${left(s.messageModel, 14)}  ${left(s.consumeTps, 7)}  ${s.diffTotal}\n`);
  }
}

function consumerProgress(io: AdminIo) {
  return guardedAction(
    'consumerProgress',
    io,
    async (options: CommonOptions & { groupName?: string; topicName?: string }) => {
      const group = options.groupName?.trim();
      if (group === undefined) {
        const summaries = await withAdmin(options, io, groupSummaries);
        printResult(options, io, summaries, () => printGroupSummaries(io, summaries));
        return;
      }
      const stats = await withAdmin(options, io, (admin) => admin.consumeStats(group, options.topicName?.trim()));
      printResult(options, io, stats, () => printGroupProgress(io, stats));
    },
  );
}

function consumerConnection(io: AdminIo) {
  return guardedAction(
    'consumerConnection',
    io,
    async (options: CommonOptions & { consumerGroup: string; brokerAddr?: string }) => {
      const cc = await withAdmin(options, io, (admin) =>
        admin.consumerConnection(options.consumerGroup.trim(), options.brokerAddr?.trim()),
      );
      printResult(options, io, cc, () => {
        io.out(`${left('#ClientId', 36)} ${left('#ClientAddr', 22)} ${left('#Language', 10)} #Version\n`);
        for (const c of cc.connections) {
          io.out(
            `${left(c.clientId, 36)} ${left(c.clientAddr, 22)} ${left(c.language, 10)} ${mqVersionDesc(c.version)}\n`,
          );
        }
        io.out('\nBelow is subscription:\n');
        io.out(`${left('#Topic', 20)} #SubExpression\n`);
        for (const [topic, expression] of Object.entries(cc.subscriptions))
          io.out(`${left(topic, 20)} ${expression}\n`);
        io.out('\n');
        io.out(`ConsumeType: ${cc.consumeType}\nMessageModel: ${cc.messageModel}\n`);
        io.out(`ConsumeFromWhere: ${cc.consumeFromWhere}\n`);
      });
    },
  );
}

function producerConnection(io: AdminIo) {
  return guardedAction(
    'producerConnection',
    io,
    async (options: CommonOptions & { producerGroup: string; topic: string }) => {
      const connections = await withAdmin(options, io, (admin) =>
        admin.producerConnection(options.producerGroup.trim(), options.topic.trim()),
      );
      printResult(options, io, connections, () => {
        connections.forEach((c, i) => {
          const number = String(i + 1).padStart(4, '0');
          io.out(
            `${number}  ${left(c.clientId, 32)} ${left(c.clientAddr, 22)} ${left(c.language, 8)} ` +
              `${mqVersionDesc(c.version)}\n`,
          );
        });
      });
    },
  );
}

/** Adds the consumer and producer commands to `admin`. */
export function addConnectionCommands(admin: Command, io: AdminIo): void {
  withCommonOptions(admin.command('consumerProgress').description("Query consumer's progress, speed"))
    .option('-g, --groupName <group>', 'consumer group name')
    .option('-t, --topicName <topic>', 'topic name')
    .action(consumerProgress(io));
  withCommonOptions(
    admin
      .command('consumerConnection')
      .description("Query consumer's socket connection, client version and subscription"),
  )
    .requiredOption('-g, --consumerGroup <group>', 'consumer group name')
    .option('-b, --brokerAddr <addr>', 'broker address')
    .action(consumerConnection(io));
  withCommonOptions(
    admin.command('producerConnection').description("Query producer's socket connection and client version"),
  )
    .requiredOption('-g, --producerGroup <group>', 'producer group name')
    .requiredOption('-t, --topic <topic>', 'topic name')
    .action(producerConnection(io));
}
