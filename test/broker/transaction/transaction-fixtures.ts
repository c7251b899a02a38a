// A broker's parts on a MemoryMessageStore, in-memory metadata and a FakeScheduler, with the
// transaction service exposed and its check-backs recorded: transactional sends and END_TRANSACTION
// go through the Remoting handlers, check passes run when the test moves the clock. A "restart"
// builds new parts over the same store and metadata documents.

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
import type { TransactionCheck } from '../../../ts/broker/services/transaction-service.js';
import { createMemoryLogger } from '../../../ts/common/logger.js';
import { RequestCode } from '../../../ts/remoting/codes.js';
import { createRequest, type RemotingCommand } from '../../../ts/remoting/remoting-command.js';
import { MemoryMessageStore } from '../../../ts/store/memory-message-store.js';
import { decodeStoredRecords, type StoredMessage } from '../../../ts/protocol/record-decoder.js';
import { decodeOffsetMessageId } from '../../../ts/protocol/offset-message-id.js';
import { FakeScheduler } from '../../support/fake-scheduler.js';

export const PRODUCER_GROUP = 'tx-group';
const CONNECTION: BrokerConnection = { remoteAddress: '127.0.0.1:50001', invokeOneway: () => undefined };

export type TransactionBroker = ReturnType<typeof transactionBroker>;

/** Shared between a broker and its restart: the clock, the store and the metadata documents. */
export interface TransactionWorld {
  readonly clock: FakeScheduler;
  readonly store: MemoryMessageStore;
  readonly metaDocuments: Map<string, MemoryMetaConfigStore>;
}

export function transactionWorld(): TransactionWorld {
  const clock = new FakeScheduler();
  const store = new MemoryMessageStore({ now: () => clock.now() });
  return { clock, store, metaDocuments: new Map() };
}

/** The broker parts over `world`, the check service started; check-backs land in `checks`. */
export function transactionBroker(overrides: Partial<BrokerConfig> = {}, world = transactionWorld()) {
  const { clock, store, metaDocuments } = world;
  const config: BrokerConfig = {
    ...defaultBrokerConfig(),
    brokerName: 'broker-a',
    brokerIP1: '127.0.0.1',
    namesrvAddr: '',
    storePathRootDir: '/nonexistent/clean-rocketmq-transaction-tests',
    ...overrides,
  };
  const openMetaStore = (path: string): MemoryMetaConfigStore => {
    const document = metaDocuments.get(path) ?? new MemoryMetaConfigStore();
    metaDocuments.set(path, document);
    return document;
  };
  const ctx: BrokerContext = {
    config,
    logger: createMemoryLogger(),
    scheduler: clock,
    random: () => 0,
    openStore: () => Object.assign(store, { getFlushedPhysicalOffset: () => store.getMaxPhysicalOffset() }),
    openMetaStore,
  };
  const meta = buildMetadata(ctx, () => undefined);
  const storeParts = buildStore(ctx, meta);
  const arrival = buildArrivals(ctx, () => store);
  const schedule = buildSchedule(ctx, meta, storeParts, arrival.arrivals);
  const client = buildClients(ctx, meta);
  const services = buildServices(ctx, { meta, store: storeParts, arrival, schedule, client }, () => '127.0.0.1:10911');
  const server = { onConnection: () => undefined, onClose: () => undefined };
  const parts = { meta, store: storeParts, schedule, client, services, server, registerAll: () => undefined };
  const byCode = new Map<number, BrokerRequestHandler>();
  for (const handler of remotingHandlers(ctx, parts)) for (const code of handler.codes) byCode.set(code, handler);
  storeParts.storeComponent.start();
  const checks: TransactionCheck[] = [];
  services.transactions.onCheck((check) => checks.push(check));
  services.transactions.start();
  const call = async (request: RemotingCommand): Promise<RemotingCommand | null> => {
    const handler = byCode.get(request.code);
    if (handler === undefined) throw new Error(`no handler for code ${request.code}`);
    return drive(clock, Promise.resolve(handler.handle(request, CONNECTION)));
  };
  /** Requests handled in one event-loop turn (as from several producer connections), driven together. */
  const callTogether = (requests: readonly RemotingCommand[]): Promise<(RemotingCommand | null)[]> => {
    const replies = requests.map((request) => {
      const handler = byCode.get(request.code);
      if (handler === undefined) throw new Error(`no handler for code ${request.code}`);
      return Promise.resolve(handler.handle(request, CONNECTION));
    });
    return drive(clock, Promise.all(replies));
  };
  /** Moves the clock `ms` forward in 500 ms steps, letting each check pass the timer starts finish. */
  const advance = async (ms: number): Promise<void> => {
    for (let leftMs = ms; leftMs > 0; leftMs -= 500) {
      clock.advance(Math.min(500, leftMs));
      await drive(clock, services.transactions.whenIdle());
    }
  };
  /** A producer of the group is connected (as after its HEART_BEAT). */
  const connectProducer = (connectionId = CONNECTION.remoteAddress, clientId = 'client-1'): void => {
    const channel = { connectionId, clientId, language: 'JAVA', version: 0, lastUpdateMs: clock.now() };
    client.producers.registerProducer(PRODUCER_GROUP, channel);
  };
  const stop = (): Promise<void> => drive(clock, services.transactions.stop());
  return { world, config, meta, services, checks, call, callTogether, advance, connectProducer, stop };
}

/** Runs the fake event loop (turns and promise jobs) until `promise` settles. */
export async function drive<T>(clock: FakeScheduler, promise: Promise<T>): Promise<T> {
  let settled = false;
  // Settled into a value at once, so that a rejection is handled while the loop still runs.
  const outcome = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  void outcome.then(() => {
    settled = true;
  });
  for (let i = 0; i < 200 && !settled; i += 1) {
    clock.runTurns();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const result = await outcome;
  if ('error' in result) throw result.error;
  return result.value;
}

/** A transactional SEND_MESSAGE_V2 as the Java TransactionMQProducer sends it. */
export function sendHalf(topic: string, body: string, uniqueId: string, extraProperties = ''): RemotingCommand {
  const properties = `TRAN_MSG\x01true\x02PGROUP\x01${PRODUCER_GROUP}\x02UNIQ_KEY\x01${uniqueId}\x02WAIT\x01true\x02`;
  const fields = { a: PRODUCER_GROUP, b: topic, c: 'TBW102', d: '4', e: '1', f: '4', g: '1700000000000', h: '0' };
  return createRequest(
    RequestCode.SEND_MESSAGE_V2,
    { ...fields, i: properties + extraProperties, j: '0', k: 'false', m: 'false' },
    Buffer.from(body),
  );
}

/** The END_TRANSACTION of a send reply (offsets from its msgId and queueOffset), as a two-way request. */
export function endTransaction(
  sendReply: RemotingCommand,
  commitOrRollback: number,
  extra: Record<string, string> = {},
): RemotingCommand {
  const fields = sendReply.extFields ?? {};
  return endTransactionAt(
    decodeOffsetMessageId(fields['msgId'] ?? '').physicalOffset,
    Number(fields['queueOffset']),
    commitOrRollback,
    { msgId: fields['transactionId'] ?? 'x', ...extra },
  );
}

export function endTransactionAt(
  commitLogOffset: number,
  tranStateTableOffset: number,
  commitOrRollback: number,
  extra: Record<string, string> = {},
): RemotingCommand {
  return createRequest(RequestCode.END_TRANSACTION, {
    producerGroup: PRODUCER_GROUP,
    tranStateTableOffset: String(tranStateTableOffset),
    commitLogOffset: String(commitLogOffset),
    commitOrRollback: String(commitOrRollback),
    fromTransactionCheck: 'false',
    msgId: 'x',
    ...extra,
  });
}

/** Every record of (topic, queueId), oldest first. */
export function recordsIn(broker: TransactionBroker, topic: string, queueId = 0): StoredMessage[] {
  return decodeStoredRecords(broker.world.store.getMessages(topic, queueId, 0, 1000).buffer);
}
