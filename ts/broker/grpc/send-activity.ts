// SendMessage over gRPC (Java `SendMessageActivity`): each message checked as Apache's proxy does, sent through the
// protocol-neutral SendService with the topic as producer group, a FIFO group on its queue, one result entry each.
// Depends on the send service, the topic table and the protos.

import { create } from '@bufbuild/protobuf';
import { Code, type Message } from '../../protocol/grpc/apache/rocketmq/v2/definition_pb.js';
import {
  SendMessageResponseSchema,
  SendResultEntrySchema,
  type SendMessageRequest,
  type SendMessageResponse,
  type SendResultEntry,
} from '../../protocol/grpc/apache/rocketmq/v2/service_pb.js';
import { encodeMessageProperties } from '../../protocol/message-properties.js';
import { MessageSysFlag } from '../../protocol/message-sys-flag.js';
import type { SendMessageRequestHeader } from '../../protocol/send-request-header.js';
import { AUTO_CREATE_TOPIC_KEY_TOPIC } from '../../protocol/topics.js';
import { MQVersion } from '../../protocol/versions.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import type { SendService } from '../services/send-service.js';
import { fifoQueueId } from './fifo-queue-selector.js';
import type { GrpcCallContext } from './grpc-context.js';
import { GrpcError, status, statusOf } from './grpc-status.js';
import { validateMessage, validateTopicResource } from './message-validation.js';
import { encodeTransactionId } from './transaction-id.js';

/** Java `TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC`'s default queue count for a new topic. */
const DEFAULT_TOPIC_QUEUE_NUMS = 4;

export interface SendActivitySettings {
  /** `maxMessageSize`: the largest body. */
  readonly maxBodyBytes: number;
  readonly nowMs: () => number;
}

export class SendActivity {
  constructor(
    private readonly sends: SendService,
    private readonly topics: TopicConfigManager,
    private readonly settings: SendActivitySettings,
  ) {}

  /** Stores every message; the response's status is the entries' one code, or MULTIPLE_RESULTS. */
  async sendMessage(context: GrpcCallContext, request: SendMessageRequest): Promise<SendMessageResponse> {
    const first = request.messages[0];
    if (first === undefined) throw new GrpcError(Code.MESSAGE_CORRUPTED, 'no message to send');
    const topic = validateTopicResource(first.topic);
    for (const message of request.messages) {
      if (message.topic?.name !== topic) throw new GrpcError(Code.MESSAGE_CORRUPTED, 'topic in message is not same');
    }
    const entries = await Promise.all(request.messages.map((message) => this.sendOne(context, topic, message)));
    const codes = new Set(entries.map((entry) => entry.status?.code ?? Code.INTERNAL_SERVER_ERROR));
    const [only] = codes;
    const overall =
      codes.size === 1 && only !== undefined
        ? status(only, Code[only])
        : status(Code.MULTIPLE_RESULTS, 'MULTIPLE_RESULTS');
    return create(SendMessageResponseSchema, { status: overall, entries });
  }

  private async sendOne(context: GrpcCallContext, topic: string, message: Message): Promise<SendResultEntry> {
    const checked = validateMessage(message, topic, {
      maxBodyBytes: this.settings.maxBodyBytes,
      nowMs: this.settings.nowMs(),
      remoteAddress: context.remoteAddress,
    });
    const config = this.topics.get(topic);
    if (config === undefined) throw new GrpcError(Code.TOPIC_NOT_FOUND, `No route info of this topic: ${topic}`);
    const queueId = checked.messageGroup === '' ? -1 : fifoQueueId(checked.messageGroup, config.writeQueueNums);
    const header: SendMessageRequestHeader = {
      producerGroup: topic,
      topic,
      defaultTopic: AUTO_CREATE_TOPIC_KEY_TOPIC,
      defaultTopicQueueNums: DEFAULT_TOPIC_QUEUE_NUMS,
      queueId,
      sysFlag: checked.sysFlag,
      bornTimestamp: checked.bornTimestampMs,
      flag: 0,
      properties: encodeMessageProperties(checked.properties),
      reconsumeTimes: checked.reconsumeTimes,
      unitMode: false,
      batch: false,
    };
    try {
      // A view of the request's bytes, not a copy: the append copies the body into the CommitLog.
      const body = Buffer.from(message.body.buffer, message.body.byteOffset, message.body.length);
      const result = await this.sends.send(header, body, false, context.remoteAddress, MQVersion.V5_5_0);
      if (result.flushFailure !== null) {
        return entry(status(Code.MASTER_PERSISTENCE_TIMEOUT, 'send message failed, sendStatus=FLUSH_DISK_TIMEOUT'));
      }
      const { stored } = result;
      const transactional = (checked.sysFlag & MessageSysFlag.TRANSACTION_PREPARED_TYPE) !== 0;
      const physicalOffset = stored.physicalOffsets[0] ?? 0;
      return create(SendResultEntrySchema, {
        status: status(Code.OK, 'OK'),
        messageId: stored.transactionId ?? '',
        transactionId: transactional ? encodeTransactionId(physicalOffset, stored.queueOffset) : '',
        offset: BigInt(stored.queueOffset),
        recallHandle: result.recallHandle ?? '',
      });
    } catch (error) {
      return entry(statusOf(error));
    }
  }
}

function entry(entryStatus: ReturnType<typeof status>): SendResultEntry {
  return create(SendResultEntrySchema, { status: entryStatus });
}
