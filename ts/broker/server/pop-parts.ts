// The pop parts of a broker (docs/pop.md): the in-flight checkpoints, the revive-log writer, the held
// pops (woken by the arrival registry), PopService, AckService and ReviveService, built from the
// config and the other parts, and the components broker.ts adds to its Lifecycle. Depends on the pop
// services and domain and the other broker parts.

import { join } from 'node:path';
import type { Component } from '../../common/lifecycle.js';
import { parseSocketAddress, type SocketAddress } from '../../common/socket-address.js';
import { ConsumerFilterTable } from '../domain/filter/consumer-filter-table.js';
import { ConsumerOrderInfoManager } from '../domain/pop/consumer-order-info.js';
import { InflightCheckpoints } from '../domain/pop/inflight-checkpoints.js';
import { reviveTopicOf } from '../domain/pop/pop-checkpoint.js';
import { PopLongPolling } from '../domain/pop/pop-long-polling.js';
import { POP_MAX_INFLIGHT_CHECKPOINTS } from '../limits.js';
import type { MessageArrivals } from '../services/message-arrival.js';
import { AckService } from '../services/pop/ack-service.js';
import { CheckpointWriter } from '../services/pop/checkpoint-writer.js';
import { NotificationService } from '../services/pop/notification-service.js';
import { PeekService } from '../services/pop/peek-service.js';
import { PopService } from '../services/pop/pop-service.js';
import { type ReviveDeps, ReviveService } from '../services/pop/revive-service.js';
import { type BrokerContext, type MetadataParts, repeatingComponent, type StoreParts } from './broker-parts.js';

export interface PopParts {
  readonly pops: PopService;
  readonly peeks: PeekService;
  readonly notifications: NotificationService;
  readonly acks: AckService;
  readonly revive: ReviveService;
  readonly polling: PopLongPolling;
  readonly inflight: InflightCheckpoints;
  /** Orderly pops: which queues are locked, attempts per offset (consumerOrderInfo.json). */
  readonly orderInfo: ConsumerOrderInfoManager;
  /** Rebuilds the in-flight pops from the revive log at start; revives on its timer; writes the buffer at stop. */
  readonly reviveComponent: Component;
  /** After the server: reads the listening address at start; answers held pops at stop (connections open). */
  readonly pollingComponent: Component;
}

export interface PopInputs {
  readonly meta: MetadataParts;
  readonly store: StoreParts;
  readonly arrivals: MessageArrivals;
  readonly filters?: ConsumerFilterTable;
}

/** The pop services over the metadata, the store and the arrival registry. `brokerAddr` is read per write. */
export function buildPop(ctx: BrokerContext, parts: PopInputs, brokerAddr: () => string): PopParts {
  const { config, scheduler } = ctx;
  const { meta, store } = parts;
  const nowMs = (): number => scheduler.now();
  // Read once listening (the polling component starts after the server) and kept: the buffered
  // checkpoints are written at stop, after the server closed.
  let listeningAddress: SocketAddress | undefined;
  const storeHost = (): SocketAddress => (listeningAddress ??= parseSocketAddress(brokerAddr()));
  const append = (messages: Parameters<typeof store.batcher.append>[0]) => store.batcher.append(messages);
  const reviveTopic = reviveTopicOf(config.brokerClusterName);
  const inflight = new InflightCheckpoints(POP_MAX_INFLIGHT_CHECKPOINTS);
  const writer = new CheckpointWriter({ append, reviveTopic, storeHost, nowMs });
  const polling = new PopLongPolling(scheduler, config.maxPopPollingSize);
  const orderInfoPath = join(config.storePathRootDir, 'config', 'consumerOrderInfo.json');
  const orderInfo = new ConsumerOrderInfoManager(ctx.openMetaStore(orderInfoPath, meta.metaLogger));
  parts.arrivals.onEveryArrival((topic) => {
    if (polling.heldCount > 0) polling.notifyTopic(topic);
  });
  const pops = new PopService(
    {
      ...storeAndMeta(parts),
      filters: parts.filters ?? new ConsumerFilterTable(),
      inflight,
      orderInfo,
      writer,
      polling,
      nowMs,
      random: ctx.random,
      metrics: store.metrics,
    },
    {
      brokerName: config.brokerName,
      brokerIp: config.brokerIP1,
      brokerPermission: config.brokerPermission,
      reviveQueueNum: config.reviveQueueNum,
      retryTopicV2: config.enableRetryTopicV2,
      popFromRetryProbability: config.popFromRetryProbability,
      timerWheelEnable: config.timerWheelEnable,
      enablePropertyFilter: config.enablePropertyFilter,
      bufferMerge: config.enablePopBufferMerge,
    },
  );
  const acks = new AckService({
    store: store.storeOf,
    topics: meta.topics,
    inflight,
    offsets: meta.offsets,
    orderInfo,
    polling,
    writer,
    nowMs,
    brokerName: config.brokerName,
    bufferMerge: config.enablePopBufferMerge,
  });
  const revive = buildRevive(ctx, parts, { inflight, writer, append, storeHost, reviveTopic });
  const reviveComponent = reviveLifecycle(ctx, revive, orderInfo);
  const pollingComponent: Component = {
    name: 'pop-polling',
    start: () => void storeHost(),
    stop: async () => {
      polling.shutdown();
      await new Promise<void>((resolve) => scheduler.afterTurn(resolve));
    },
  };
  const { peeks, notifications } = buildPopReads(ctx, parts, polling);
  return { pops, peeks, notifications, acks, revive, polling, inflight, orderInfo, reviveComponent, pollingComponent };
}

/** The revive service: un-acked pops back through the pop retry topic when their invisible time ends. */
function buildRevive(
  ctx: BrokerContext,
  parts: PopInputs,
  shared: Pick<ReviveDeps, 'inflight' | 'writer' | 'append' | 'storeHost'> & { readonly reviveTopic: string },
): ReviveService {
  const { config, scheduler } = ctx;
  const { reviveTopic, ...deps } = shared;
  return new ReviveService(
    {
      ...storeAndMeta(parts),
      ...deps,
      onStored: (topic, queueId) => parts.arrivals.notify(topic, queueId),
      scheduler,
      logger: ctx.logger.child({ component: 'pop' }),
    },
    {
      reviveTopic,
      reviveQueueNum: config.reviveQueueNum,
      reviveIntervalMs: config.reviveInterval,
      retryTopicV2: config.enableRetryTopicV2,
      bufferMerge: config.enablePopBufferMerge,
      bufferStayMs: config.popCkStayBufferTime,
    },
  );
}

/** The revive service and the orderly-pop state on the Lifecycle: started after the store, stopped before it. */
function reviveLifecycle(ctx: BrokerContext, revive: ReviveService, orderInfo: ConsumerOrderInfoManager): Component {
  const intervalMs = ctx.config.flushConsumerOffsetInterval;
  const persistOrderInfo = repeatingComponent(ctx.scheduler, 'pop-order-info', intervalMs, () => orderInfo.persist());
  return {
    name: 'pop-revive',
    start: () => {
      revive.start();
      void persistOrderInfo.start();
    },
    stop: async () => {
      await persistOrderInfo.stop();
      await revive.stop();
      orderInfo.persist();
    },
  };
}

/** PEEK and NOTIFICATION / POLLING_INFO: reads that make nothing invisible. */
function buildPopReads(
  ctx: BrokerContext,
  parts: PopInputs,
  polling: PopLongPolling,
): { peeks: PeekService; notifications: NotificationService } {
  const { config } = ctx;
  const peeks = new PeekService(
    { ...storeAndMeta(parts), random: ctx.random },
    { brokerIp: config.brokerIP1, brokerPermission: config.brokerPermission, retryTopicV2: config.enableRetryTopicV2 },
  );
  const notifications = new NotificationService({
    ...storeAndMeta(parts),
    polling,
    nowMs: () => ctx.scheduler.now(),
    retryTopicV2: config.enableRetryTopicV2,
  });
  return { peeks, notifications };
}

function storeAndMeta(parts: PopInputs) {
  return {
    store: parts.store.storeOf,
    topics: parts.meta.topics,
    groups: parts.meta.groups,
    offsets: parts.meta.offsets,
  };
}
