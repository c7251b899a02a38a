// CONSUMER_SEND_MSG_BACK (36) (Java `AbstractSendMessageProcessor#consumerSendMsgBack`): a consumer
// gives a message back. The record is looked up by its CommitLog offset and re-stored to
// `%RETRY%<group>` (delayed by its level through SCHEDULE_TOPIC_XXXX) or, past maxReconsumeTimes,
// to `%DLQ%<group>`, with Java's codes and remarks. Depends on the send, schedule and meta domains,
// the store interface, the record decoder and remoting.

import type { SocketAddress } from '../../common/socket-address.js';
import { MQVersion } from '../../protocol/versions.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import { PERM_READ, PERM_WRITE } from '../../protocol/route-types.js';
import type { AppendResult, StoreMessage } from '../../store/message-store-api.js';
import { decodeStoredRecord, RecordDecodeError, type StoredMessage } from '../../protocol/record-decoder.js';
import { isStoreError } from '../../store/store-errors.js';
import type { SubscriptionGroupManager } from '../domain/meta/subscription-group-manager.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import { withDelayScheduling, type DelayLevelTable } from '../domain/schedule/delay-level-table.js';
import {
  buildSendBackMessage,
  DLQ_NUMS_PER_GROUP,
  routeSendBack,
  type ConsumerSendMsgBackRequestHeader,
} from '../domain/send/send-back.js';
import { dlqTopicOf, retryTopicOf } from '../../protocol/topics.js';
import { storeErrorToSendResponse } from '../domain/send/send-response.js';
import type { BrokerRequestHandler } from './request-fields.js';
import { optionalBoolean, optionalField, optionalInt, requiredField, requiredInt, requiredLong } from '../../protocol/header-fields.js';

/** `TopicSysFlag.buildSysFlag(false, true)`: the unit-sub flag of unit-mode retry topics. */
const UNIT_SUB_TOPIC_SYS_FLAG = 0x2;

export interface SendBackSettings {
  readonly brokerPermission: number;
  readonly brokerIp: string;
  readonly storeHost: () => SocketAddress;
  readonly maxMessageSizeBytes: number;
}

export interface SendBackStore {
  getMessageByOffset(physicalOffset: number): Buffer;
}

export class SendBackHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.CONSUMER_SEND_MSG_BACK];

  constructor(
    private readonly store: () => SendBackStore,
    private readonly append: (messages: readonly StoreMessage[]) => Promise<AppendResult>,
    private readonly topics: TopicConfigManager,
    private readonly groups: SubscriptionGroupManager,
    private readonly delayLevels: DelayLevelTable,
    private readonly settings: SendBackSettings,
    private readonly onStored: (topic: string, queueId: number) => void,
  ) {}

  async handle(request: RemotingCommand): Promise<RemotingCommand> {
    const header = decodeSendBackHeader(request);
    const group = this.groups.findSubscriptionGroupConfig(header.group);
    if (group === undefined) {
      return createResponse(request, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group not exist, ${header.group} `);
    }
    if ((this.settings.brokerPermission & PERM_WRITE) === 0) {
      return createResponse(request, ResponseCode.NO_PERMISSION, `the broker[${this.settings.brokerIp}] sending message is forbidden`);
    }
    if (group.retryQueueNums <= 0) return createResponse(request, ResponseCode.SUCCESS, null);

    const retryTopic = retryTopicOf(header.group);
    const retryConfig = this.topics.createTopicInSendMessageBackMethod(
      retryTopic,
      group.retryQueueNums,
      PERM_READ | PERM_WRITE,
      header.unitMode ? UNIT_SUB_TOPIC_SYS_FLAG : 0,
    );
    if ((retryConfig.perm & PERM_WRITE) === 0) {
      return createResponse(request, ResponseCode.NO_PERMISSION, `the topic[${retryTopic}] sending message is forbidden`);
    }
    const original = this.lookMessageByOffset(header.offset);
    if (original === null) return createResponse(request, ResponseCode.SYSTEM_ERROR, `look message by offset failed, ${header.offset}`);

    const maxReconsumeTimes =
      request.version >= MQVersion.V3_4_9 && header.maxReconsumeTimes !== undefined ? header.maxReconsumeTimes : group.retryMaxTimes;
    const route = routeSendBack(original.reconsumeTimes, header.delayLevel, maxReconsumeTimes);
    let topic = retryTopic;
    let queueId = randomQueueId(group.retryQueueNums);
    if (route.deadLetter) {
      topic = dlqTopicOf(header.group);
      queueId = randomQueueId(DLQ_NUMS_PER_GROUP);
      this.topics.createTopicInSendMessageBackMethod(topic, DLQ_NUMS_PER_GROUP, PERM_READ | PERM_WRITE, 0);
    }
    const built = buildSendBackMessage(original, { topic, queueId, delayLevel: route.delayLevel, storeHost: this.settings.storeHost() });
    const message = withDelayScheduling(built.message, built.properties, this.delayLevels);
    try {
      await this.append([message]);
    } catch (error) {
      if (!isStoreError(error)) throw error;
      const reply = storeErrorToSendResponse(error.code, { maxMessageSizeBytes: this.settings.maxMessageSizeBytes });
      return createResponse(request, ResponseCode.SYSTEM_ERROR, reply.remark ?? error.message);
    }
    this.onStored(message.topic, message.queueId);
    return createResponse(request, ResponseCode.SUCCESS, null);
  }

  /** `lookMessageByOffset`: the record at a physical offset, or null when there is none. */
  private lookMessageByOffset(physicalOffset: number): StoredMessage | null {
    try {
      return decodeStoredRecord(this.store().getMessageByOffset(physicalOffset));
    } catch (error) {
      if (isStoreError(error) || error instanceof RecordDecodeError) return null;
      throw error;
    }
  }
}

/** Java `ConsumerSendMsgBackRequestHeader`; a missing required field fails the request (SYSTEM_ERROR). */
export function decodeSendBackHeader(request: RemotingCommand): ConsumerSendMsgBackRequestHeader {
  const originMsgId = optionalField(request, 'originMsgId');
  const originTopic = optionalField(request, 'originTopic');
  const maxReconsumeTimes = optionalInt(request, 'maxReconsumeTimes');
  return {
    offset: requiredLong(request, 'offset'),
    group: requiredField(request, 'group'),
    delayLevel: requiredInt(request, 'delayLevel'),
    unitMode: optionalBoolean(request, 'unitMode') ?? false,
    ...(originMsgId !== undefined && { originMsgId }),
    ...(originTopic !== undefined && { originTopic }),
    ...(maxReconsumeTimes !== undefined && { maxReconsumeTimes }),
  };
}

function randomQueueId(queueNums: number): number {
  return Math.floor(Math.random() * queueNums);
}
