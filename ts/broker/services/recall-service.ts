// RecallService (RocketMQ 5.5 `RecallMessageProcessor`): recalls a parked timer message by the handle its send
// reply carried. The recall is a marker message parked in the timer topic at the message's own time, carrying
// TIMER_DEL_UNIQKEY `<topic>+<uniqKey>`; the timer honours it (never delivers the message) and, being a record,
// it survives restarts. Protocol-neutral: the Remoting and gRPC fronts call it. Depends on the recall handle,
// the topic table and the send path (through RecallMarkerWriter, the one thing a future timer store must offer).

import { encodeMessageProperties, MessageProperty } from '../../protocol/message-properties.js';
import {
  decodeRecallHandle,
  RECALL_MESSAGE_TAG,
  RecallHandleError,
  timerDeleteKey,
} from '../../protocol/recall-handle.js';
import { BORN_TIMESTAMP_PROPERTY } from '../../protocol/system-property-names.js';
import type { SendMessageRequestHeader } from '../../protocol/send-request-header.js';
import { AUTO_CREATE_TOPIC_KEY_TOPIC } from '../../protocol/topics.js';
import { MQVersion } from '../../protocol/versions.js';
import { BrokerError, BrokerErrorCode } from '../domain/broker-error.js';
import type { TopicConfigManager } from '../domain/meta/topic-config-manager.js';
import type { SendResult } from './send-service.js';

/** Parks a recall marker (a message with TIMER_DEL_UNIQKEY and TIMER_DELIVER_MS): the send path. */
export interface RecallMarkerWriter {
  send(
    header: SendMessageRequestHeader,
    body: Buffer,
    batch: false,
    producerAddress: string,
    clientVersion: number,
  ): Promise<SendResult>;
}

export interface RecallSettings {
  /** `recallMessageEnable` (false, as Apache's): otherwise NO_PERMISSION. */
  readonly recallMessageEnable: boolean;
  readonly brokerName: string;
  readonly slave: boolean;
  /** `timerMaxDelaySec`: a handle's time must be ahead by less than this. */
  readonly timerMaxDelaySec: number;
  readonly nowMs: () => number;
}

export interface RecallRequest {
  readonly topic: string;
  readonly recallHandle: string;
  readonly producerGroup?: string;
  /** `ip:port` of the requester: the marker's born host. */
  readonly producerAddress: string;
}

const NOT_AVAILABLE = 'recall failed, broker service not available';

export class RecallService {
  constructor(
    private readonly topics: Pick<TopicConfigManager, 'get'>,
    private readonly markers: RecallMarkerWriter,
    private readonly settings: RecallSettings,
  ) {}

  /** Parks the marker; resolves with the recalled message's id (its UNIQ_KEY). Refusals are BrokerErrors. */
  async recall(request: RecallRequest): Promise<string> {
    const { topic } = request;
    if (!this.settings.recallMessageEnable)
      throw new BrokerError(BrokerErrorCode.NO_PERMISSION, 'recall failed, operation is forbidden');
    if (this.settings.slave) throw new BrokerError(BrokerErrorCode.SLAVE_NOT_AVAILABLE, NOT_AVAILABLE);
    if (this.topics.get(topic) === undefined)
      throw new BrokerError(BrokerErrorCode.TOPIC_NOT_EXIST, `recall failed, the topic[${topic}] not exist`);
    const handle = this.decode(request.recallHandle);
    if (handle.topic !== topic) throw illegal('recall failed, topic not match');
    if (handle.brokerName !== this.settings.brokerName) throw illegal(NOT_AVAILABLE);
    const deliverMs = /^-?\d+$/.test(handle.timestamp) ? Number(handle.timestamp) : -1;
    const timeLeft = deliverMs - this.settings.nowMs();
    if (timeLeft <= 0 || timeLeft >= this.settings.timerMaxDelaySec * 1000)
      throw illegal('recall failed, timestamp invalid');
    await this.parkMarker(request, handle.messageId, handle.timestamp);
    return handle.messageId;
  }

  private decode(text: string): ReturnType<typeof decodeRecallHandle> {
    try {
      return decodeRecallHandle(text);
    } catch (error) {
      if (error instanceof RecallHandleError) throw illegal(error.message);
      throw error;
    }
  }

  /** Java `buildMessage`: body "0", tag _RECALL_TAG_, queue 0, the delete key, the handle's time. */
  private async parkMarker(request: RecallRequest, messageId: string, timestamp: string): Promise<void> {
    const nowMs = this.settings.nowMs();
    const properties = new Map<string, string>([
      [MessageProperty.TAGS, RECALL_MESSAGE_TAG],
      [MessageProperty.TIMER_DEL_UNIQKEY, timerDeleteKey(request.topic, messageId)],
      [MessageProperty.UNIQ_KEY, messageId],
      [MessageProperty.TIMER_DELIVER_MS, timestamp],
      [BORN_TIMESTAMP_PROPERTY, String(nowMs)],
    ]);
    if (request.producerGroup !== undefined) properties.set(MessageProperty.PRODUCER_GROUP, request.producerGroup);
    const header: SendMessageRequestHeader = {
      producerGroup: request.producerGroup ?? '',
      topic: request.topic,
      defaultTopic: AUTO_CREATE_TOPIC_KEY_TOPIC,
      defaultTopicQueueNums: 0,
      queueId: 0,
      sysFlag: 0,
      bornTimestamp: nowMs,
      flag: 0,
      properties: encodeMessageProperties(properties),
      reconsumeTimes: 0,
      unitMode: false,
      batch: false,
    };
    try {
      await this.markers.send(header, Buffer.from('0'), false, request.producerAddress, MQVersion.V5_5_0);
    } catch (error) {
      // Java: any put status but OK (and the flush timeouts) is SYSTEM_ERROR with this remark.
      throw new BrokerError(BrokerErrorCode.SYSTEM_ERROR, 'recall failed, execute error', { cause: error });
    }
  }
}

function illegal(remark: string): BrokerError {
  return new BrokerError(BrokerErrorCode.ILLEGAL_OPERATION, remark);
}
