// The broker's Remoting handlers over its services, assembled from the broker parts on a
// MemoryMessageStore, in-memory metadata documents and a FakeScheduler: requests go straight to the
// handlers (no TCP, no files, no sleeps). Time moves only when a test advances the fake clock.

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
import type { BrokerConnection, BrokerRequestHandler } from '../../../ts/broker/api/request-fields.js';
import { MemoryMetaConfigStore } from '../../../ts/broker/domain/meta/meta-config-store.js';
import { createMemoryLogger } from '../../../ts/common/logger.js';
import { RequestCode } from '../../../ts/remoting/codes.js';
import { createRequest, type RemotingCommand } from '../../../ts/remoting/remoting-command.js';
import { MemoryMessageStore } from '../../../ts/store/memory-message-store.js';
import { decodeStoredRecords, type StoredMessage } from '../../../ts/protocol/record-decoder.js';
import { FakeScheduler } from '../../support/fake-scheduler.js';

export const PRODUCER_ADDRESS = '127.0.0.1:50001';

/** A connection that records the oneway requests the broker sends to the client. */
export function testConnection(remoteAddress = PRODUCER_ADDRESS): BrokerConnection & { oneway: RemotingCommand[] } {
  const oneway: RemotingCommand[] = [];
  return { remoteAddress, oneway, invokeOneway: (request) => void oneway.push(request) };
}

export type HandlerBroker = ReturnType<typeof handlerBroker>;

/** The broker's handlers on a memory store; `call` answers a request as the Remoting server would route it. */
export function handlerBroker(overrides: Partial<BrokerConfig> = {}) {
  const clock = new FakeScheduler();
  const config: BrokerConfig = {
    ...defaultBrokerConfig(),
    brokerName: 'broker-a',
    brokerIP1: '127.0.0.1',
    listenPort: 10911,
    namesrvAddr: '',
    // Never touched: the metadata documents are held in memory.
    storePathRootDir: '/nonexistent/clean-rocketmq-handler-tests',
    ...overrides,
  };
  const memory = new MemoryMessageStore({ now: () => clock.now(), messageDelayLevel: config.messageDelayLevel });
  const store = Object.assign(memory, { getFlushedPhysicalOffset: () => memory.getMaxPhysicalOffset() });
  const ctx: BrokerContext = {
    config,
    logger: createMemoryLogger(),
    scheduler: clock,
    random: () => 0,
    openStore: () => store,
    openMetaStore: () => new MemoryMetaConfigStore(),
  };
  const meta = buildMetadata(ctx, () => undefined);
  const storeParts = buildStore(ctx, meta);
  const arrival = buildArrivals(ctx, () => store);
  const schedule = buildSchedule(ctx, meta, storeParts, arrival.arrivals);
  const client = buildClients(ctx, meta);
  const services = buildServices(ctx, { meta, store: storeParts, arrival, schedule, client }, () => '127.0.0.1:10911');
  const server = { onConnection: () => undefined, onClose: () => undefined };
  const registerAll = (): void => undefined;
  const handlers = remotingHandlers(ctx, { meta, store: storeParts, schedule, client, services, server, registerAll });
  const byCode = new Map<number, BrokerRequestHandler>();
  for (const handler of handlers) for (const code of handler.codes) byCode.set(code, handler);
  storeParts.storeComponent.start();
  /** The handler's answer; a pending one (a held pull) stays a promise. */
  const call = (request: RemotingCommand, connection: BrokerConnection = testConnection()) => {
    const handler = byCode.get(request.code);
    if (handler === undefined) throw new Error(`no handler for code ${request.code}`);
    return handler.handle(request, connection);
  };
  return { clock, store, config, meta, client, arrival, schedule, call };
}

/** Lets promise chains (append → reply) run, then the batcher's end of turn, a few times over. */
export async function settle(clock: FakeScheduler): Promise<void> {
  for (let i = 0; i < 10; i += 1) {
    clock.runTurns();
    await Promise.resolve();
  }
}

/** Moves the fake clock `ms` forward in 100 ms steps, settling promise chains in between. */
export async function advance(broker: HandlerBroker, ms: number): Promise<void> {
  for (let leftMs = ms; leftMs > 0; leftMs -= 100) {
    broker.clock.advance(Math.min(100, leftMs));
    await settle(broker.clock);
  }
}

/** Calls a handler and drives the fake event loop until it answers. */
export async function answer(
  broker: HandlerBroker,
  request: RemotingCommand,
  connection?: BrokerConnection,
): Promise<RemotingCommand> {
  const reply = broker.call(request, connection);
  if (!(reply instanceof Promise)) return reply as RemotingCommand;
  let done: RemotingCommand | null | undefined;
  void reply.then((value) => (done = value));
  for (let i = 0; i < 20 && done === undefined; i += 1) await settle(broker.clock);
  if (done === undefined || done === null) throw new Error('the handler did not answer');
  return done;
}

/** A SEND_MESSAGE_V2 as the Java producer sends it (one-letter keys). */
export function sendV2(
  topic: string,
  queueId: number,
  body: string,
  properties = 'WAIT\x01true\x02',
  extra: Record<string, string> = {},
) {
  const fields = { a: 'pg', b: topic, c: 'TBW102', d: '4', e: String(queueId), f: '0', g: '1700000000000', h: '0' };
  const rest = { i: properties, j: '0', k: 'false', m: 'false', ...extra };
  return createRequest(RequestCode.SEND_MESSAGE_V2, { ...fields, ...rest }, Buffer.from(body));
}

/** A PULL_MESSAGE with its own subscription (`*`); `suspend` lets the broker hold it. */
export function pullRequest(topic: string, queueId: number, queueOffset: number, suspend = false) {
  return createRequest(RequestCode.PULL_MESSAGE, {
    consumerGroup: 'cg',
    topic,
    queueId: String(queueId),
    queueOffset: String(queueOffset),
    maxMsgNums: '32',
    sysFlag: String(0x4 | (suspend ? 0x2 : 0)),
    commitOffset: '0',
    suspendTimeoutMillis: '15000',
    subscription: '*',
    subVersion: '1',
  });
}

/** The bodies of the records in a reply (a PULL_MESSAGE's), as text. */
export function bodiesOf(reply: RemotingCommand | null | undefined): string[] {
  return decodeStoredRecords(reply?.body ?? Buffer.alloc(0)).map((record) => record.body.toString());
}

/** Every record of (topic, queueId) in the memory store, oldest first. */
export function recordsIn(broker: HandlerBroker, topic: string, queueId: number): StoredMessage[] {
  return decodeStoredRecords(broker.store.getMessages(topic, queueId, 0, 1000).buffer);
}
