// The message commands of `clean-rocketmq admin` (mqadmin's queryMsgById, queryMsgByKey,
// queryMsgByOffset, sendMessage): their flags and their output as mqadmin lays it out, or `--json`.
// Depends on commander, admin-io.ts, message-text.ts, ts/client (Admin, Producer, PullConsumer).

import type { Command } from 'commander';
import { PullConsumer } from '../client/consumer/pull-consumer.js';
import { messageQueue } from '../client/message-queue.js';
import type { MessageView } from '../client/message/message-view.js';
import { DEFAULT_PRODUCER_GROUP, Producer } from '../client/producer/producer.js';
import {
  adminClientOptions,
  type AdminIo,
  AdminUsageError,
  type CommonOptions,
  guardedAction,
  left,
  parseIntFlag,
  printResult,
  right,
  withAdmin,
  withCommonOptions,
} from './admin-io.js';
import { messageJson, printMessage, TOOLS_CONSUMER_GROUP } from './message-text.js';

function queryMsgById(io: AdminIo) {
  return guardedAction('queryMsgById', io, async (options: CommonOptions & { topic: string; msgId: string }) => {
    const ids = options.msgId.split(',').map((id) => id.trim());
    const views = await withAdmin(options, io, async (admin) => {
      const found = [];
      for (const id of ids) found.push(await admin.viewMessage(options.topic.trim(), id));
      return found;
    });
    if (views.some((view) => view === null)) throw new Error(`Message not found: ${ids[views.indexOf(null)]}`);
    const messages = views.flatMap((view) => (view === null ? [] : [view]));
    printResult(options, io, messages.map(messageJson), () => messages.forEach((view) => printMessage(io, view)));
  });
}

/** The store time's hour, local time (Java `MixAll.dealTimeToHourStamps`). */
function hourStamp(ms: number): number {
  const date = new Date(ms);
  date.setMinutes(0, 0, 0);
  return date.getTime();
}

/** mqadmin 5.5's `#IndexKey` cell: `<hour>@<topic>@K@<key>@<msgId>@<commitLogOffset>` (K: a KEYS index). */
function keyIndexEntry(view: MessageView, key: string): string {
  const hour = hourStamp(view.storeTimestamp.getTime());
  return `${hour}@${view.topic}@K@${key}@${view.messageId}@${view.commitLogOffset}`;
}

type KeyQueryOptions = CommonOptions & {
  topic: string;
  msgKey: string;
  beginTimestamp?: string;
  endTimestamp?: string;
  maxNum?: string;
};

function queryMsgByKey(io: AdminIo) {
  return guardedAction('queryMsgByKey', io, async (options: KeyQueryOptions) => {
    const query = {
      topic: options.topic.trim(),
      key: options.msgKey.trim(),
      maxNum: parseIntFlag('maxNum', options.maxNum, 64),
      beginTimestamp: parseIntFlag('beginTimestamp', options.beginTimestamp, 0),
      ...(options.endTimestamp !== undefined && {
        endTimestamp: parseIntFlag('endTimestamp', options.endTimestamp, 0),
      }),
    };
    const views = await withAdmin(options, io, (admin) => admin.queryMessage(query));
    printResult(options, io, views.map(messageJson), () => {
      io.out(`${left('#Message ID', 50)} ${right('#QID', 4)} ${right('#Offset', 40)} ${left('#IndexKey', 200)}\n`);
      for (const view of views) {
        const indexKey = keyIndexEntry(view, query.key);
        io.out(`${left(view.messageId, 50)} ${right(view.messageQueue.queueId, 4)} ${right(view.offset, 40)} `);
        io.out(`${left(indexKey, 200)}\n`);
      }
    });
  });
}

type OffsetQueryOptions = CommonOptions & { topic: string; brokerName: string; queueId: string; offset: string };

function queryMsgByOffset(io: AdminIo) {
  return guardedAction('queryMsgByOffset', io, async (options: OffsetQueryOptions) => {
    const mq = messageQueue(
      options.topic.trim(),
      options.brokerName.trim(),
      parseIntFlag('queueId', options.queueId, 0),
    );
    const offset = parseIntFlag('offset', options.offset, 0);
    await withAdmin(options, io, (admin) => admin.topicRoute(mq.topic));
    const consumer = new PullConsumer({ ...adminClientOptions(options, io), consumerGroup: TOOLS_CONSUMER_GROUP });
    await consumer.startup();
    const result = await consumer.pull(mq, offset, { maxNums: 1 }).finally(() => consumer.shutdown());
    const view = result.messages[0];
    if (result.status !== 'FOUND' || view === undefined) {
      throw new Error(
        `no message at offset ${offset} of ${mq.topic}/${mq.brokerName}/${mq.queueId} (${result.status})`,
      );
    }
    printResult(options, io, messageJson(view), () => printMessage(io, view));
  });
}

type SendOptions = CommonOptions & {
  topic: string;
  body: string;
  key?: string;
  tags?: string;
  broker?: string;
  qid?: string;
};

function sendMessage(io: AdminIo) {
  return guardedAction('sendMessage', io, async (options: SendOptions) => {
    if (options.qid !== undefined && options.broker === undefined)
      throw new AdminUsageError('Broker name must be set if the queue is chosen!');
    const topic = options.topic.trim();
    const message = {
      topic,
      body: Buffer.from(options.body, 'utf8'),
      ...(options.tags !== undefined && { tag: options.tags.trim() }),
      ...(options.key !== undefined && { keys: options.key.trim().split(/\s+/) }),
    };
    const target =
      options.broker === undefined || options.qid === undefined
        ? {}
        : { messageQueue: messageQueue(topic, options.broker.trim(), parseIntFlag('qid', options.qid, 0)) };
    await withAdmin(options, io, (admin) => admin.topicRoute(topic));
    const producer = new Producer({ ...adminClientOptions(options, io), producerGroup: DEFAULT_PRODUCER_GROUP });
    await producer.startup();
    const receipt = await producer.send(message, target).finally(() => producer.shutdown());
    printResult(options, io, receipt, () => {
      const row = (cells: readonly (string | number)[]): string =>
        `${left(cells[0] ?? '', 32)}  ${left(cells[1] ?? '', 4)}  ${left(cells[2] ?? '', 20)}    ${cells[3] ?? ''}\n`;
      io.out(row(['#Broker Name', '#QID', '#Send Result', '#MsgId']));
      io.out(row([receipt.messageQueue.brokerName, receipt.messageQueue.queueId, receipt.status, receipt.messageId]));
    });
  });
}

/** Adds the message commands (consumeMessage lives in consume-message-command.ts) to `admin`. */
export function addMessageCommands(admin: Command, io: AdminIo): void {
  withCommonOptions(admin.command('queryMsgById').description('Query Message by Id'))
    .requiredOption('-t, --topic <topic>', 'topic name')
    .requiredOption('-i, --msgId <ids>', 'Message Id (offset msgId or UNIQ_KEY; several separated by commas)')
    .action(queryMsgById(io));
  withCommonOptions(admin.command('queryMsgByKey').description('Query Message by Key'))
    .requiredOption('-t, --topic <topic>', 'Topic name')
    .requiredOption('-k, --msgKey <key>', 'Message Key')
    .option('-b, --beginTimestamp <ms>', 'Begin timestamp(ms). default:0')
    .option('-e, --endTimestamp <ms>', 'End timestamp(ms). default:Long.MAX_VALUE')
    .option('-m, --maxNum <n>', 'The maximum number of messages returned by the query, default:64')
    .action(queryMsgByKey(io));
  withCommonOptions(admin.command('queryMsgByOffset').description('Query Message by offset'))
    .requiredOption('-t, --topic <topic>', 'topic name')
    .requiredOption('-b, --brokerName <name>', 'Broker Name')
    .requiredOption('-i, --queueId <id>', 'Queue Id')
    .requiredOption('-o, --offset <offset>', 'Queue Offset')
    .action(queryMsgByOffset(io));
  withCommonOptions(admin.command('sendMessage').description('Send a message'))
    .requiredOption('-t, --topic <topic>', 'Topic name')
    .requiredOption('-p, --body <body>', 'UTF-8 string format of the message body')
    .option('-k, --key <keys>', 'Message keys')
    .option('-c, --tags <tags>', 'Message tags')
    .option('-b, --broker <name>', 'Send message to target broker')
    .option('-i, --qid <id>', 'Send message to target queue')
    .action(sendMessage(io));
}
