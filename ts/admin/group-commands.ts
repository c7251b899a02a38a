// The subscription group and offset commands of `clean-rocketmq admin` (mqadmin's updateSubGroup,
// deleteSubGroup, setConsumeMode, resetOffsetByTime): their flags and their output as mqadmin lays it
// out, or `--json`. Depends on commander, admin-io.ts, ts/client/admin, ts/protocol/assignment.ts.

import type { Command } from 'commander';
import type { Admin } from '../client/admin/admin.js';
import { defaultSubscriptionGroupConfig, type SubscriptionGroupConfig } from '../client/admin/admin-bodies.js';
import { MESSAGE_REQUEST_MODES, type MessageRequestMode } from '../protocol/assignment.js';
import { dlqTopicOf, retryTopicOf } from '../protocol/topics.js';
import {
  type AdminIo,
  AdminUsageError,
  brokerOrCluster,
  type CommonOptions,
  front,
  guardedAction,
  left,
  parseBoolFlag,
  parseIntFlag,
  printResult,
  withAdmin,
  withCommonOptions,
} from './admin-io.js';

interface SubGroupOptions extends CommonOptions {
  groupName: string;
  brokerAddr?: string;
  clusterName?: string;
  consumeEnable?: string;
  consumeFromMinEnable?: string;
  consumeBroadcastEnable?: string;
  consumeMessageOrderly?: string;
  retryQueueNums?: string;
  retryMaxTimes?: string;
  brokerId?: string;
  whichBrokerWhenConsumeSlowly?: string;
  notifyConsumerIdsChanged?: string;
}

function subGroupConfig(options: SubGroupOptions): SubscriptionGroupConfig {
  const base = defaultSubscriptionGroupConfig(options.groupName.trim());
  return {
    groupName: base.groupName,
    consumeEnable: parseBoolFlag(options.consumeEnable, base.consumeEnable),
    consumeFromMinEnable: parseBoolFlag(options.consumeFromMinEnable, base.consumeFromMinEnable),
    consumeBroadcastEnable: parseBoolFlag(options.consumeBroadcastEnable, base.consumeBroadcastEnable),
    consumeMessageOrderly: parseBoolFlag(options.consumeMessageOrderly, base.consumeMessageOrderly),
    retryQueueNums: parseIntFlag('retryQueueNums', options.retryQueueNums, base.retryQueueNums),
    retryMaxTimes: parseIntFlag('retryMaxTimes', options.retryMaxTimes, base.retryMaxTimes),
    brokerId: parseIntFlag('brokerId', options.brokerId, base.brokerId),
    whichBrokerWhenConsumeSlowly: parseIntFlag(
      'whichBrokerWhenConsumeSlowly',
      options.whichBrokerWhenConsumeSlowly,
      base.whichBrokerWhenConsumeSlowly,
    ),
    notifyConsumerIdsChangedEnable: parseBoolFlag(
      options.notifyConsumerIdsChanged,
      base.notifyConsumerIdsChangedEnable,
    ),
  };
}

/** Java `SubscriptionGroupConfig#toString`'s layout. */
function subGroupText(config: SubscriptionGroupConfig): string {
  const fields = Object.entries(config)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(', ');
  return `SubscriptionGroupConfig [${fields}]`;
}

function updateSubGroup(io: AdminIo) {
  return guardedAction('updateSubGroup', io, async (options: SubGroupOptions) => {
    const target = brokerOrCluster(options);
    const config = subGroupConfig(options);
    const written = await withAdmin(options, io, (admin) => admin.createSubscriptionGroup(config, target));
    printResult(options, io, { ...config, brokers: written }, () => {
      for (const addr of written) io.out(`create subscription group to ${addr} success.\n`);
      io.out(`${subGroupText(config)}\n`);
    });
  });
}

/** With `-c`, mqadmin also deletes the group's retry and dead-letter topics (where they exist). */
async function deleteGroupTopics(admin: Admin, group: string, clusterName: string): Promise<void> {
  const topics = new Set(await admin.topicList());
  for (const topic of [retryTopicOf(group), dlqTopicOf(group)]) {
    if (topics.has(topic)) await admin.deleteTopic(topic, clusterName);
  }
}

type DeleteSubGroupOptions = CommonOptions & {
  groupName: string;
  brokerAddr?: string;
  clusterName?: string;
  removeOffset?: string;
};

function deleteSubGroup(io: AdminIo) {
  return guardedAction('deleteSubGroup', io, async (options: DeleteSubGroupOptions) => {
    const target = brokerOrCluster(options);
    const group = options.groupName.trim();
    const written = await withAdmin(options, io, async (admin) => {
      const brokers = await admin.deleteSubscriptionGroup(group, target, parseBoolFlag(options.removeOffset, false));
      if (target.clusterName !== undefined) await deleteGroupTopics(admin, group, target.clusterName);
      return brokers;
    });
    printResult(options, io, { groupName: group, brokers: written }, () => {
      for (const addr of written) {
        const where = target.clusterName === undefined ? '' : ` in cluster [${target.clusterName}]`;
        io.out(`delete subscription group [${group}] from broker [${addr}]${where} success.\n`);
      }
    });
  });
}

type ConsumeModeOptions = CommonOptions & {
  brokerAddr?: string;
  clusterName?: string;
  topicName: string;
  groupName: string;
  mode: string;
  popShareQueueNum?: string;
};

function setConsumeMode(io: AdminIo) {
  return guardedAction('setConsumeMode', io, async (options: ConsumeModeOptions) => {
    const target = brokerOrCluster(options);
    const mode = options.mode.trim().toUpperCase() as MessageRequestMode;
    if (!MESSAGE_REQUEST_MODES.includes(mode)) throw new AdminUsageError('mode must be PULL or POP');
    const request = {
      topic: options.topicName.trim(),
      consumerGroup: options.groupName.trim(),
      mode,
      popShareQueueNum: parseIntFlag('popShareQueueNum', options.popShareQueueNum, 0),
    };
    const written = await withAdmin(options, io, (admin) => admin.setMessageRequestMode(request, target));
    printResult(options, io, { ...request, brokers: written }, () => {
      for (const addr of written) io.out(`set consume mode to ${addr} success.\n`);
      io.out(
        `topic[${request.topic}] group[${request.consumerGroup}] consume mode[${mode}] ` +
          `popShareQueueNum[${request.popShareQueueNum}]\n`,
      );
    });
  });
}

/** `now`, epoch ms, or `yyyy-MM-dd#HH:mm:ss:SSS` (local time), as mqadmin takes `-s`. */
export function parseResetTimestamp(text: string, nowMs: number): number {
  const trimmed = text.trim();
  if (trimmed === 'now') return nowMs;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const match = /^(\d{4})-(\d{2})-(\d{2})#(\d{2}):(\d{2}):(\d{2}):(\d{3})$/.exec(trimmed);
  if (match === null) throw new AdminUsageError(`timestamp must be now, epoch ms or yyyy-MM-dd#HH:mm:ss:SSS`);
  const [y, mo, d, h, mi, s, ms] = match.slice(1).map(Number);
  return new Date(y ?? 0, (mo ?? 1) - 1, d, h, mi, s, ms).getTime();
}

type ResetOptions = CommonOptions & { group: string; topic: string; timestamp: string; force?: string };

function resetOffsetByTime(io: AdminIo) {
  return guardedAction('resetOffsetByTime', io, async (options: ResetOptions) => {
    const request = {
      topic: options.topic.trim(),
      group: options.group.trim(),
      timestampMs: parseResetTimestamp(options.timestamp, Date.now()),
      force: parseBoolFlag(options.force, true),
    };
    const result = await withAdmin(options, io, (admin) => admin.resetOffsetByTimestamp(request));
    printResult(options, io, { ...request, ...result }, () => {
      const what =
        `topic[${request.topic}], force[${request.force}], timestamp(string)[${options.timestamp.trim()}], ` +
        `timestamp(long)[${request.timestampMs}]`;
      if (result.online) {
        io.out(`start reset consumer offset by specified, group[${request.group}], ${what}\n`);
        io.out(`${left('#brokerName', 40)}  ${left('#queueId', 40)}  ${left('#offset', 40)}\n`);
        for (const { messageQueue: mq, offset } of result.offsets)
          io.out(`${left(front(mq.brokerName, 32), 40)}  ${left(mq.queueId, 40)}  ${left(offset, 40)}\n`);
        return;
      }
      io.out(`reset consumer offset by specified consumerGroup[${request.group}], ${what}\n`);
      const head = ['#brokerName', '#queueId', '#brokerOffset', '#consumerOffset', '#timestampOffset', '#resetOffset'];
      io.out(`${head.map((cell) => left(cell, 20)).join('  ')}\n`);
      for (const r of result.rollbacks) {
        const cells = [front(r.messageQueue.brokerName, 32), r.messageQueue.queueId, r.brokerOffset];
        cells.push(r.consumerOffset, r.timestampOffset, r.resetOffset);
        io.out(`${cells.map((cell) => left(cell, 20)).join('  ')}\n`);
      }
    });
  });
}

function addSubGroupCommands(admin: Command, io: AdminIo): void {
  withCommonOptions(admin.command('updateSubGroup').description('Update or create subscription group'))
    .option('-b, --brokerAddr <addr>', 'create subscription group to which broker')
    .option('-c, --clusterName <name>', 'create subscription group to which cluster')
    .requiredOption('-g, --groupName <group>', 'consumer group name')
    .option('-s, --consumeEnable <bool>', 'consume enable')
    .option('-m, --consumeFromMinEnable <bool>', 'from min offset')
    .option('-d, --consumeBroadcastEnable <bool>', 'broadcast')
    .option('-o, --consumeMessageOrderly <bool>', 'consume message orderly')
    .option('-q, --retryQueueNums <n>', 'retry queue nums')
    .option('-r, --retryMaxTimes <n>', 'retry max times')
    .option('-i, --brokerId <id>', 'consumer from which broker id')
    .option('-w, --whichBrokerWhenConsumeSlowly <id>', 'which broker id when consume slowly')
    .option('-a, --notifyConsumerIdsChanged <bool>', 'notify consumerId changed')
    .action(updateSubGroup(io));
  withCommonOptions(admin.command('deleteSubGroup').description('Delete subscription group from broker.'))
    .option('-b, --brokerAddr <addr>', 'delete subscription group from which broker')
    .option('-c, --clusterName <name>', 'delete subscription group from which cluster')
    .requiredOption('-g, --groupName <group>', 'subscription group name')
    .option('-r, --removeOffset <bool>', 'remove offset')
    .action(deleteSubGroup(io));
}

/** Adds the subscription group and offset commands to `admin`. */
export function addGroupCommands(admin: Command, io: AdminIo): void {
  addSubGroupCommands(admin, io);
  withCommonOptions(admin.command('setConsumeMode').description('set consume message mode. pull/pop etc.'))
    .option('-b, --brokerAddr <addr>', 'create subscription group to which broker')
    .option('-c, --clusterName <name>', 'create subscription group to which cluster')
    .requiredOption('-t, --topicName <topic>', 'topic name')
    .requiredOption('-g, --groupName <group>', 'consumer group name')
    .requiredOption('-m, --mode <mode>', 'consume mode. PULL/POP')
    .option('-q, --popShareQueueNum <n>', 'num of queue which share in pop mode')
    .action(setConsumeMode(io));
  withCommonOptions(admin.command('resetOffsetByTime').description('Reset consumer offset by timestamp'))
    .requiredOption('-g, --group <group>', 'set the consumer group')
    .requiredOption('-t, --topic <topic>', 'set the topic')
    .requiredOption('-s, --timestamp <time>', 'set the timestamp[now|currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]')
    .option('-f, --force <bool>', 'set the force rollback by timestamp switch[true|false]')
    .action(resetOffsetByTime(io));
}
