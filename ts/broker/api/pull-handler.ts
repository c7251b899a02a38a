// PULL_MESSAGE (11) and LITE_PULL_MESSAGE (361) (Java `PullMessageProcessor`): checks the group,
// topic, queue and subscription in Java's order and with its codes and remarks, reads the store,
// maps the result (status → code → next offset), commits the consumer offset the request carries,
// and holds a pull that found nothing when the client allows it (long polling), re-running it when
// a message arrives for its queue or at its deadline. Depends on the pull, client and meta domains,
// the store interface and ts/remoting.

import type { ConsumerManager } from '../domain/client/consumer-manager.js';
import type { SubscriptionData } from '../domain/client/heartbeat-data.js';
import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import type { SubscriptionGroupManager } from '../domain/meta/subscription-group-manager.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import { type PullRequestHoldService, pullHoldTimeMs, type PullHoldConfig } from '../domain/pull/long-poll.js';
import { decodePullMessageRequestHeader, type PullMessageRequestHeader } from '../../protocol/pull-request-header.js';
import { mapPullResult, pullResponseExtFields, shouldCommitOffset, shouldHoldPull } from '../domain/pull/pull-result-mapper.js';
import { hasSubscriptionFlag } from '../../protocol/pull-sys-flag.js';
import { buildSubscription, storeTagCodes } from '../domain/pull/subscription-expression.js';
import { PERM_READ } from '../../protocol/route-types.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import { DEFAULT_GET_MESSAGES_MAX_SIZE_BYTES, GetMessageStatus, type MessageStore } from '../../store/message-store-api.js';
import type { BrokerConnection, BrokerRequestHandler } from './request-fields.js';

const FAQ_SUFFIX = '\nSee https://rocketmq.apache.org/docs/bestPractice/06FAQ for further details.';

export interface PullHandlerSettings {
  readonly brokerName: string;
  readonly brokerPermission: number;
  readonly slave: boolean;
  readonly hold: PullHoldConfig;
}

export class PullHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.PULL_MESSAGE, RequestCode.LITE_PULL_MESSAGE];

  constructor(
    private readonly store: () => MessageStore,
    private readonly topics: TopicConfigManager,
    private readonly groups: SubscriptionGroupManager,
    private readonly consumers: ConsumerManager,
    private readonly offsets: ConsumerOffsetManager,
    private readonly holds: PullRequestHoldService,
    private readonly settings: PullHandlerSettings,
    private readonly clock: () => number,
  ) {}

  handle(request: RemotingCommand, connection: BrokerConnection): RemotingCommand | Promise<RemotingCommand | null> {
    return this.process(request, connection, true);
  }

  private process(
    request: RemotingCommand,
    connection: BrokerConnection,
    brokerAllowSuspend: boolean,
  ): RemotingCommand | Promise<RemotingCommand | null> {
    const header = decodePullMessageRequestHeader(request.extFields);
    const refused = this.check(request, header);
    if (refused !== null) return refused;
    const subscription = this.subscription(request, header);
    if ('code' in subscription) return subscription;
    const result = this.store().getMessages(header.topic, header.queueId, header.queueOffset, header.maxMsgNums, {
      maxSizeBytes: header.maxMsgBytes ?? DEFAULT_GET_MESSAGES_MAX_SIZE_BYTES,
      tagCodes: storeTagCodes(subscription),
    });
    const outcome = mapPullResult(result, { requestOffset: header.queueOffset, brokerRole: this.settings.slave ? 'SLAVE' : 'ASYNC_MASTER' });
    if (shouldCommitOffset(header.sysFlag, brokerAllowSuspend) && !this.settings.slave) {
      this.offsets.commitOffset(connection.remoteAddress, header.consumerGroup, header.topic, header.queueId, header.commitOffset);
    }
    if (shouldHoldPull(outcome.responseCode, header.sysFlag, brokerAllowSuspend)) {
      return this.hold(request, connection, header, subscription);
    }
    const found = result.status === GetMessageStatus.FOUND;
    return createResponse(request, outcome.responseCode, outcome.remark, pullResponseExtFields(outcome), found ? result.buffer : null);
  }

  /** Holds the pull; when woken (arrival, deadline, eviction, shutdown) it runs again without holding. */
  private hold(
    request: RemotingCommand,
    connection: BrokerConnection,
    header: PullMessageRequestHeader,
    subscription: SubscriptionData,
  ): Promise<RemotingCommand | null> {
    return new Promise((resolve, reject) => {
      this.holds.hold({
        topic: header.topic,
        queueId: header.queueId,
        offset: header.queueOffset,
        subscription,
        deadlineMs: this.clock() + pullHoldTimeMs(header.suspendTimeoutMillis, this.settings.hold),
        onWake: () => {
          try {
            resolve(this.process(request, connection, false));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        },
      });
    });
  }

  /** The broker, group, topic and queue checks, in Java's order. */
  private check(request: RemotingCommand, header: PullMessageRequestHeader): RemotingCommand | null {
    const refuse = (code: number, remark: string) => createResponse(request, code, remark);
    if ((this.settings.brokerPermission & PERM_READ) === 0) {
      return refuse(ResponseCode.NO_PERMISSION, `the broker[${this.settings.brokerName}] pulling message is forbidden`);
    }
    const group = this.groups.findSubscriptionGroupConfig(header.consumerGroup);
    if (group === undefined) {
      return refuse(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group [${header.consumerGroup}] does not exist${FAQ_SUFFIX}`);
    }
    if (!group.consumeEnable) return refuse(ResponseCode.NO_PERMISSION, `subscription group no permission, ${header.consumerGroup}`);
    const topic = this.topics.get(header.topic);
    if (topic === undefined) {
      return refuse(ResponseCode.TOPIC_NOT_EXIST, `topic[${header.topic}] not exist, apply first please!${FAQ_SUFFIX}`);
    }
    if ((topic.perm & PERM_READ) === 0) {
      return refuse(ResponseCode.NO_PERMISSION, `the topic[${header.topic}] pulling message is forbidden`);
    }
    if (header.queueId < 0 || header.queueId >= topic.readQueueNums) {
      return refuse(
        ResponseCode.SYSTEM_ERROR,
        `queueId[${header.queueId}] is illegal, topic:[${header.topic}] topicConfig.readQueueNums:[${topic.readQueueNums}] consumer:[${request.extFields['consumerGroup'] ?? ''}]`,
      );
    }
    return null;
  }

  /** The request's own subscription (flag 0x4), else the one the group's heartbeats registered. */
  private subscription(request: RemotingCommand, header: PullMessageRequestHeader): SubscriptionData | RemotingCommand {
    if (hasSubscriptionFlag(header.sysFlag)) {
      const built = buildSubscription(header.topic, header.subscription, header.expressionType, header.subVersion);
      return built.ok ? built.subscription : createResponse(request, built.responseCode, built.message);
    }
    const group = this.consumers.group(header.consumerGroup);
    if (group === undefined) return createResponse(request, ResponseCode.SUBSCRIPTION_NOT_EXIST, "the consumer's group info not exist");
    const groupConfig = this.groups.get(header.consumerGroup);
    if (group.messageModel === 'BROADCASTING' && groupConfig?.consumeBroadcastEnable === false) {
      return createResponse(request, ResponseCode.NO_PERMISSION, `the consumer group[${header.consumerGroup}] can not consume by broadcast way`);
    }
    const subscription = this.consumers.subscription(header.consumerGroup, header.topic);
    if (subscription === undefined) return createResponse(request, ResponseCode.SUBSCRIPTION_NOT_EXIST, "the consumer's subscription not exist");
    if (subscription.subVersion < header.subVersion) {
      return createResponse(request, ResponseCode.SUBSCRIPTION_NOT_LATEST, "the consumer's subscription not latest");
    }
    return subscription;
  }
}
