// How `clean-rocketmq admin` shows a message: mqadmin's `printMsg` block (OffsetID, Topic, Tags, …)
// and `MessageExt#toString`-like one-liners, and the JSON form of a MessageView (body as UTF-8 text).
// Depends on admin-io.ts, ts/client/message/message-view.ts.

import type { MessageQueue } from '../client/message-queue.js';
import type { MessageView } from '../client/message/message-view.js';
import { type AdminIo, formatHumanTime, left } from './admin-io.js';

/** Java `MixAll.TOOLS_CONSUMER_GROUP`: the group mqadmin's reading commands pull as. */
export const TOOLS_CONSUMER_GROUP = 'TOOLS_CONSUMER';

/** Java `MessageQueue#toString`. */
export function messageQueueText(mq: MessageQueue): string {
  return `MessageQueue [topic=${mq.topic}, brokerName=${mq.brokerName}, queueId=${mq.queueId}]`;
}

/** Every property, system and user, as Java's `Map#toString` prints them. */
function propertiesText(view: MessageView): string {
  const entries = [...view.systemProperties, ...view.properties].map(([key, value]) => `${key}=${value}`);
  return `{${entries.join(', ')}}`;
}

/** mqadmin's `printMsg` block, with the body printed in place of the temp file it writes. */
export function printMessage(io: AdminIo, view: MessageView): void {
  const rows: [string, string | number][] = [
    ['OffsetID:', view.offsetMsgId],
    ['Topic:', view.topic],
    ['Tags:', `[${view.tag ?? 'null'}]`],
    ['Keys:', `[${view.keys.length === 0 ? 'null' : view.keys.join(' ')}]`],
    ['Queue ID:', view.messageQueue.queueId],
    ['Queue Offset:', view.offset],
    ['CommitLog Offset:', view.commitLogOffset],
    ['Reconsume Times:', view.reconsumeTimes],
    ['Born Timestamp:', formatHumanTime(view.bornTimestamp.getTime())],
    ['Store Timestamp:', formatHumanTime(view.storeTimestamp.getTime())],
    ['Born Host:', view.bornHost],
    ['Store Host:', view.storeHost],
    ['System Flag:', view.sysFlag],
    ['Properties:', propertiesText(view)],
    ['Message Body:', view.body.toString('utf8')],
  ];
  for (const [label, value] of rows) io.out(`${left(label, 20)} ${value}\n`);
  io.out('\n');
}

/** A one-line description of a message (the middle of mqadmin consumeMessage's `MSGID: … BODY: …`). */
export function messageLine(view: MessageView): string {
  return (
    `MessageExt [brokerName=${view.messageQueue.brokerName}, queueId=${view.messageQueue.queueId}, ` +
    `storeSize=${view.body.length}, queueOffset=${view.offset}, sysFlag=${view.sysFlag}, ` +
    `bornTimestamp=${view.bornTimestamp.getTime()}, bornHost=/${view.bornHost}, ` +
    `storeTimestamp=${view.storeTimestamp.getTime()}, storeHost=/${view.storeHost}, msgId=${view.offsetMsgId}, ` +
    `commitLogOffset=${view.commitLogOffset}, reconsumeTimes=${view.reconsumeTimes}, ` +
    `Message{topic='${view.topic}', flag=${view.flag}, properties=${propertiesText(view)}}]`
  );
}

/** The JSON of a message for `--json`. */
export function messageJson(view: MessageView): Record<string, unknown> {
  return {
    messageId: view.messageId,
    offsetMsgId: view.offsetMsgId,
    topic: view.topic,
    tag: view.tag ?? null,
    keys: view.keys,
    brokerName: view.messageQueue.brokerName,
    queueId: view.messageQueue.queueId,
    queueOffset: view.offset,
    commitLogOffset: view.commitLogOffset,
    reconsumeTimes: view.reconsumeTimes,
    bornTimestamp: view.bornTimestamp.getTime(),
    storeTimestamp: view.storeTimestamp.getTime(),
    bornHost: view.bornHost,
    storeHost: view.storeHost,
    sysFlag: view.sysFlag,
    properties: Object.fromEntries([...view.systemProperties, ...view.properties]),
    body: view.body.toString('utf8'),
  };
}
