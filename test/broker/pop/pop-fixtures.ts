// The broker's handlers with the pop parts on a MemoryMessageStore and a FakeScheduler (as
// test/broker/api/handler-fixtures.ts), and pop requests built with the ts/protocol codecs.

import { defaultBrokerConfig, type BrokerConfig } from '../../../ts/broker/server/broker-config.js';
import { remotingHandlers } from '../../../ts/broker/server/broker-handlers.js';
import {
  type BrokerContext,
  buildArrivals,
  buildClients,
  buildMetadata,
  buildSchedule,
  buildServices,
  buildStore,
} from '../../../ts/broker/server/broker-parts.js';
import { buildPop } from '../../../ts/broker/server/pop-parts.js';
import type { BrokerConnection, BrokerRequestHandler } from '../../../ts/broker/api/request-fields.js';
import { MemoryMetaConfigStore } from '../../../ts/broker/domain/meta/meta-config-store.js';
import { createMemoryLogger } from '../../../ts/common/logger.js';
import { RequestCode } from '../../../ts/remoting/codes.js';
import { createRequest, type RemotingCommand } from '../../../ts/remoting/remoting-command.js';
import { MemoryMessageStore } from '../../../ts/store/memory-message-store.js';
import { decodeStoredRecords, type StoredMessage } from '../../../ts/protocol/record-decoder.js';
import {
  encodeAckMessageRequestHeader,
  encodeChangeInvisibleTimeRequestHeader,
  encodePopMessageRequestHeader,
  decodePopMessageResponseHeader,
  type PopMessageRequestHeader,
} from '../../../ts/protocol/pop-headers.js';
import { buildExtraInfo, parseStartOffsetInfo, popOffsetInfoKey } from '../../../ts/protocol/pop-extra-info.js';
import { FakeScheduler } from '../../support/fake-scheduler.js';
import { testConnection } from '../api/handler-fixtures.js';

export { sendV2, settle } from '../api/handler-fixtures.js';

export type PopBroker = ReturnType<typeof popBroker>;

/** The handlers (pop included) on a memory store; `call` routes a request as the Remoting server would. */
export function popBroker(overrides: Partial<BrokerConfig> = {}, random: () => number = () => 0.5) {
  const clock = new FakeScheduler();
  const config: BrokerConfig = {
    ...defaultBrokerConfig(),
    brokerName: 'broker-a',
    brokerIP1: '127.0.0.1',
    listenPort: 10911,
    namesrvAddr: '',
    storePathRootDir: '/nonexistent/clean-rocketmq-pop-tests',
    ...overrides,
  };
  const memory = new MemoryMessageStore({ now: () => clock.now(), messageDelayLevel: config.messageDelayLevel });
  const store = Object.assign(memory, { getFlushedPhysicalOffset: () => memory.getMaxPhysicalOffset() });
  const metaStores = new Map<string, MemoryMetaConfigStore>();
  const ctx: BrokerContext = {
    config,
    logger: createMemoryLogger(),
    scheduler: clock,
    random,
    openStore: () => store,
    openMetaStore: (path) => metaStores.get(path) ?? metaStores.set(path, new MemoryMetaConfigStore()).get(path)!,
  };
  const meta = buildMetadata(ctx, () => undefined);
  const storeParts = buildStore(ctx, meta);
  const arrival = buildArrivals(ctx, () => store);
  const schedule = buildSchedule(ctx, meta, storeParts, arrival.arrivals);
  const client = buildClients(ctx, meta);
  const brokerAddr = () => '127.0.0.1:10911';
  const services = buildServices(ctx, { meta, store: storeParts, arrival, schedule, client }, brokerAddr);
  const pop = buildPop(ctx, { meta, store: storeParts, arrivals: arrival.arrivals }, brokerAddr);
  const server = { onConnection: () => undefined, onClose: () => undefined };
  const parts = { meta, store: storeParts, schedule, client, services, server, registerAll: () => undefined, pop };
  const byCode = new Map<number, BrokerRequestHandler>();
  for (const handler of remotingHandlers(ctx, parts)) for (const code of handler.codes) byCode.set(code, handler);
  storeParts.storeComponent.start();
  void pop.reviveComponent.start();
  const call = (request: RemotingCommand, connection: BrokerConnection = testConnection()) => {
    const handler = byCode.get(request.code);
    if (handler === undefined) throw new Error(`no handler for code ${request.code}`);
    return handler.handle(request, connection);
  };
  /** Stops the pop parts and starts a second set over the same store and metadata (a restarted broker's). */
  const restartPop = async () => {
    await pop.reviveComponent.stop();
    const again = buildPop(ctx, { meta, store: storeParts, arrivals: arrival.arrivals }, brokerAddr);
    void again.reviveComponent.start();
    return again;
  };
  return { clock, store, config, meta, pop, arrival, call, metaStores, restartPop };
}

/** Calls a handler and drives the fake event loop until it answers (a held pop needs the clock moved). */
export async function answer(broker: PopBroker, request: RemotingCommand): Promise<RemotingCommand> {
  const reply = broker.call(request);
  if (!(reply instanceof Promise)) return reply as RemotingCommand;
  let done: RemotingCommand | null | undefined;
  let failed: unknown;
  void reply.then(
    (value) => (done = value),
    (error: unknown) => (failed = error),
  );
  for (let i = 0; i < 50 && done === undefined && failed === undefined; i += 1) await settleTurns(broker.clock);
  if (failed !== undefined) throw failed instanceof Error ? failed : new Error(JSON.stringify(failed));
  if (done === undefined || done === null) throw new Error('the handler did not answer');
  return done;
}

export async function settleTurns(clock: FakeScheduler): Promise<void> {
  for (let i = 0; i < 10; i += 1) {
    clock.runTurns();
    await Promise.resolve();
  }
}

/** Moves the clock in 100 ms steps, letting timers and promise chains run. */
export async function advance(broker: PopBroker, ms: number): Promise<void> {
  for (let leftMs = ms; leftMs > 0; leftMs -= 100) {
    broker.clock.advance(Math.min(100, leftMs));
    await settleTurns(broker.clock);
  }
}

export function popRequest(topic: string, fields: Partial<PopMessageRequestHeader> = {}, bornTime = 0) {
  const header: PopMessageRequestHeader = {
    consumerGroup: 'pg',
    topic,
    queueId: -1,
    maxMsgNums: 32,
    invisibleTime: 60_000,
    pollTime: 0,
    bornTime,
    initMode: 0,
    ...fields,
  };
  return createRequest(RequestCode.POP_MESSAGE, encodePopMessageRequestHeader(header));
}

/** A popped message with the receipt handle the Java client builds for it. */
export interface PoppedMessage {
  readonly record: StoredMessage;
  readonly receipt: string;
}

/** The records of a POP reply, each with its receipt handle (as MQClientAPIImpl#processPopResponse). */
export function popped(reply: RemotingCommand): PoppedMessage[] {
  const header = decodePopMessageResponseHeader(reply.extFields);
  const starts = parseStartOffsetInfo(header.startOffsetInfo) ?? new Map<string, number>();
  return decodeStoredRecords(reply.body ?? Buffer.alloc(0)).map((record) => ({
    record,
    receipt: buildExtraInfo({
      ckQueueOffset: starts.get(popOffsetInfoKey(record.topic, record.queueId)) ?? -1,
      popTime: header.popTime,
      invisibleTime: header.invisibleTime,
      reviveQid: header.reviveQid,
      topic: record.topic,
      brokerName: 'broker-a',
      queueId: record.queueId,
      queueOffset: record.queueOffset,
    }),
  }));
}

export function ackRequest(message: PoppedMessage, group = 'pg') {
  const { record } = message;
  const header = { consumerGroup: group, topic: record.topic, queueId: record.queueId, extraInfo: message.receipt };
  return createRequest(
    RequestCode.ACK_MESSAGE,
    encodeAckMessageRequestHeader({ ...header, offset: record.queueOffset }),
  );
}

export function changeInvisibleRequest(message: PoppedMessage, invisibleTime: number, group = 'pg') {
  const { record } = message;
  const header = {
    consumerGroup: group,
    topic: record.topic,
    queueId: record.queueId,
    extraInfo: message.receipt,
    offset: record.queueOffset,
    invisibleTime,
  };
  return createRequest(RequestCode.CHANGE_MESSAGE_INVISIBLETIME, encodeChangeInvisibleTimeRequestHeader(header));
}

export function bodies(reply: RemotingCommand): string[] {
  return decodeStoredRecords(reply.body ?? Buffer.alloc(0)).map((record) => record.body.toString());
}
