// mqadmin's consumeMessage for `clean-rocketmq admin`: pulls (as TOOLS_CONSUMER, committing nothing)
// the messages of a topic or of one queue between offsets or store times, at most `-c` of them, and
// prints them as mqadmin does, or `--json`. Depends on commander, admin-io.ts, message-text.ts, ts/client.

import type { Command } from 'commander';
import type { Admin } from '../client/admin/admin.js';
import { PullConsumer } from '../client/consumer/pull-consumer.js';
import { messageQueue, type MessageQueue } from '../client/message-queue.js';
import type { MessageView } from '../client/message/message-view.js';
import {
  adminClientOptions,
  type AdminIo,
  AdminUsageError,
  type CommonOptions,
  guardedAction,
  parseIntFlag,
  printResult,
  withAdmin,
  withCommonOptions,
} from './admin-io.js';
import { messageJson, messageLine, messageQueueText, TOOLS_CONSUMER_GROUP } from './message-text.js';

type ConsumeOptions = CommonOptions & {
  topic: string;
  brokerName?: string;
  queueId?: string;
  offset?: string;
  consumerGroup?: string;
  beginTimestamp?: string;
  endTimestamp?: string;
  MessageNumber?: string;
};

/** One queue to read, from `minOffset` to `maxOffset` inclusive. */
interface QueueRange {
  readonly mq: MessageQueue;
  readonly minOffset: number;
  readonly maxOffset: number;
  /** What mqadmin says before reading the queue (a cut to -c messages, or an offset past the end). */
  readonly note?: string;
}

/** mqadmin's line when -c cuts a queue's range. */
function cutNote(single: boolean, count: number, queueId: number): string {
  return single
    ? `The oldler ${count} message will be provided`
    : `The older ${count} message of the ${queueId} queue will be provided`;
}

/** The queues and offset ranges to read, bounded by -o, -s, -e and -c as mqadmin bounds them. */
async function queueRanges(admin: Admin, options: ConsumeOptions): Promise<QueueRange[]> {
  const topic = options.topic.trim();
  const count = parseIntFlag('MessageNumber', options.MessageNumber, 128);
  const begin = parseIntFlag('beginTimestamp', options.beginTimestamp, 0);
  const end = parseIntFlag('endTimestamp', options.endTimestamp, 0);
  const single = options.brokerName !== undefined && options.queueId !== undefined;
  if (options.queueId !== undefined && !single) throw new AdminUsageError('the queue (-i) needs the broker name (-b)');
  const one = single
    ? messageQueue(topic, options.brokerName!.trim(), parseIntFlag('queueId', options.queueId, 0))
    : null;
  const stats = (await admin.topicStats(topic)).queues.filter(
    (q) => one === null || (q.messageQueue.brokerName === one.brokerName && q.messageQueue.queueId === one.queueId),
  );
  const ranges: QueueRange[] = [];
  let left = count;
  for (const q of stats) {
    if (left <= 0) break;
    let minOffset = begin > 0 ? await admin.searchOffset(q.messageQueue, begin) : q.minOffset;
    // Java reads up to and including maxOffset, the next offset to be written: that pull finds nothing new.
    const maxOffset = end > 0 ? await admin.searchOffset(q.messageQueue, end) : q.maxOffset;
    const from = one === null ? 0 : parseIntFlag('offset', options.offset, 0);
    if (from > maxOffset) {
      const note = `${messageQueueText(q.messageQueue)} no matched msg, offset=${from}`;
      ranges.push({ mq: q.messageQueue, minOffset: from, maxOffset: from - 1, note });
      continue;
    }
    minOffset = Math.max(minOffset, from);
    const last = Math.min(maxOffset, minOffset + left - 1);
    const note = maxOffset - minOffset > left ? cutNote(one !== null, left, q.messageQueue.queueId) : undefined;
    left -= last - minOffset + 1;
    ranges.push({ mq: q.messageQueue, minOffset, maxOffset: last, ...(note !== undefined && { note }) });
  }
  return ranges;
}

async function pullRange(consumer: PullConsumer, range: QueueRange, lines: string[]): Promise<MessageView[]> {
  const found: MessageView[] = [];
  if (range.note !== undefined) lines.push(range.note);
  for (let offset = range.minOffset; offset <= range.maxOffset;) {
    const result = await consumer.pull(range.mq, offset, { maxNums: range.maxOffset - offset + 1 });
    offset = result.nextBeginOffset;
    if (result.status === 'FOUND') {
      lines.push('Consume ok');
      for (const view of result.messages) {
        found.push(view);
        lines.push(`MSGID: ${view.messageId} ${messageLine(view)} BODY: ${view.body.toString('utf8')}`);
      }
      continue;
    }
    const event = result.status === 'NO_MATCHED_MSG' ? 'no matched msg' : 'print msg finished';
    const what = `${messageQueueText(range.mq)} ${event}`;
    lines.push(`${what}. status=${result.status}, offset=${offset}`);
    if (result.status !== 'NO_MATCHED_MSG') break;
  }
  return found;
}

function consumeMessage(io: AdminIo) {
  return guardedAction('consumeMessage', io, async (options: ConsumeOptions) => {
    const ranges = await withAdmin(options, io, (admin) => queueRanges(admin, options));
    const group = options.consumerGroup?.trim() ?? TOOLS_CONSUMER_GROUP;
    const consumer = new PullConsumer({ ...adminClientOptions(options, io), consumerGroup: group });
    await consumer.startup();
    const lines: string[] = [];
    const messages: MessageView[] = [];
    try {
      for (const range of ranges) messages.push(...(await pullRange(consumer, range, lines)));
    } finally {
      await consumer.shutdown();
    }
    printResult(options, io, messages.map(messageJson), () => io.out(lines.map((line) => `${line}\n`).join('')));
  });
}

/** Adds consumeMessage to `admin`. */
export function addConsumeMessageCommand(admin: Command, io: AdminIo): void {
  withCommonOptions(admin.command('consumeMessage').description('Consume message'))
    .requiredOption('-t, --topic <topic>', 'Topic name')
    .option('-b, --brokerName <name>', 'Broker name')
    .option('-i, --queueId <id>', 'Queue Id')
    .option('-o, --offset <offset>', 'Queue offset')
    .option('-g, --consumerGroup <group>', 'Consumer group name')
    .option('-s, --beginTimestamp <ms>', 'Begin timestamp (ms)')
    .option('-e, --endTimestamp <ms>', 'End timestamp (ms)')
    .option('-c, --MessageNumber <n>', 'Number of message to be consumed (default 128)')
    .action(consumeMessage(io));
}
