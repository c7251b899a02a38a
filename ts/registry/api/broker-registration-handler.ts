// Broker registration requests (Java `DefaultRequestProcessor#registerBroker`, `#unregisterBroker`,
// `#brokerHeartbeat`): REGISTER_BROKER (103), UNREGISTER_BROKER (104), BROKER_HEARTBEAT (904).
// Decodes headers and the RegisterBrokerBody, calls RouteInfoManager. Depends on the domain and remoting.

import { crc32 } from 'node:zlib';
import { parseFastJson } from '../../common/fastjson.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import { type KvConfigManager, NAMESPACE_ORDER_TOPIC_CONFIG } from '../domain/kv-config-manager.js';
import { DEFAULT_BROKER_EXPIRED_MS, type RouteInfoManager } from '../domain/route-info-manager.js';
import { type DataVersion, type TopicConfig, TopicFilterType } from '../../protocol/route-types.js';
import type { RegistryRequestHandler, RequestConnection } from './request-fields.js';
import {
  optionalBoolean,
  optionalField,
  optionalInt,
  optionalLong,
  requiredField,
  requiredLong,
} from '../../protocol/header-fields.js';

interface RegisterBrokerBody {
  topicConfigSerializeWrapper?: {
    topicConfigTable?: Record<string, Partial<TopicConfig>>;
    dataVersion?: Partial<DataVersion>;
  };
}

export class BrokerRegistrationHandler implements RegistryRequestHandler {
  readonly codes = [RequestCode.REGISTER_BROKER, RequestCode.UNREGISTER_BROKER, RequestCode.BROKER_HEARTBEAT];

  constructor(
    private readonly routes: RouteInfoManager,
    private readonly kvConfig: KvConfigManager,
    private readonly clock: () => number,
    /** Overrides the brokers' own heartbeatTimeoutMillis (tests make expiry fast). */
    private readonly brokerExpiredMs: number | undefined,
  ) {}

  handle(request: RemotingCommand, connection: RequestConnection): RemotingCommand {
    switch (request.code) {
      case RequestCode.REGISTER_BROKER:
        return this.register(request, connection);
      case RequestCode.UNREGISTER_BROKER:
        this.routes.unregisterBroker(
          requiredField(request, 'clusterName'),
          requiredField(request, 'brokerAddr'),
          requiredField(request, 'brokerName'),
          requiredLong(request, 'brokerId'),
        );
        return createResponse(request, ResponseCode.SUCCESS);
      default:
        this.routes.heartbeat(
          requiredField(request, 'clusterName'),
          requiredField(request, 'brokerAddr'),
          this.clock(),
        );
        return createResponse(request, ResponseCode.SUCCESS);
    }
  }

  private register(request: RemotingCommand, connection: RequestConnection): RemotingCommand {
    const body = request.body ?? Buffer.alloc(0);
    const bodyCrc32 = optionalInt(request, 'bodyCrc32') ?? 0;
    if (bodyCrc32 !== 0 && (crc32(body) & 0x7fffffff) !== bodyCrc32) {
      return createResponse(request, ResponseCode.SYSTEM_ERROR, 'crc32 not match');
    }
    if (optionalBoolean(request, 'compressed') === true) {
      // Compat: Java brokers compress only with compressedRegister=true (default false).
      return createResponse(request, ResponseCode.SYSTEM_ERROR, 'compressed register body is not supported');
    }
    const { topicConfigs, dataVersion } = decodeRegisterBody(body);
    const result = this.routes.registerBroker(
      {
        clusterName: requiredField(request, 'clusterName'),
        brokerAddr: requiredField(request, 'brokerAddr'),
        brokerName: requiredField(request, 'brokerName'),
        brokerId: requiredLong(request, 'brokerId'),
        haServerAddr: optionalField(request, 'haServerAddr') ?? '',
        connectionId: connection.remoteAddress,
        heartbeatTimeoutMs:
          this.brokerExpiredMs ?? optionalLong(request, 'heartbeatTimeoutMillis') ?? DEFAULT_BROKER_EXPIRED_MS,
        enableActingMaster: optionalBoolean(request, 'enableActingMaster') ?? false,
        topicConfigs,
        dataVersion,
      },
      this.clock(),
    );
    if (result === null) return createResponse(request, ResponseCode.SYSTEM_ERROR, 'register broker failed');
    const header: Record<string, string> = {};
    if (result.haServerAddr !== '') header['haServerAddr'] = result.haServerAddr;
    if (result.masterAddr !== '') header['masterAddr'] = result.masterAddr;
    const orderTopics = this.kvConfig.list(NAMESPACE_ORDER_TOPIC_CONFIG);
    const replyBody = orderTopics === null ? null : Buffer.from(JSON.stringify({ table: orderTopics }));
    return createResponse(request, ResponseCode.SUCCESS, null, header, replyBody);
  }
}

/** RegisterBrokerBody JSON (fastjson dialect) → topic configs and data version. */
function decodeRegisterBody(body: Buffer): { topicConfigs: TopicConfig[] | null; dataVersion: DataVersion | null } {
  if (body.length === 0) return { topicConfigs: null, dataVersion: null };
  const parsed = parseFastJson(body.toString('utf8')) as RegisterBrokerBody;
  const wrapper = parsed.topicConfigSerializeWrapper;
  const table = wrapper?.topicConfigTable ?? {};
  const topicConfigs = Object.entries(table).map(([name, config]) => toTopicConfig(name, config));
  const version = wrapper?.dataVersion;
  const dataVersion =
    version === undefined
      ? null
      : {
          counter: Number(version.counter ?? 0),
          stateVersion: Number(version.stateVersion ?? 0),
          timestamp: Number(version.timestamp ?? 0),
        };
  return { topicConfigs, dataVersion };
}

function toTopicConfig(name: string, config: Partial<TopicConfig>): TopicConfig {
  return {
    topicName: config.topicName ?? name,
    readQueueNums: Number(config.readQueueNums ?? 16),
    writeQueueNums: Number(config.writeQueueNums ?? 16),
    perm: Number(config.perm ?? 6),
    topicFilterType: config.topicFilterType ?? TopicFilterType.SINGLE_TAG,
    topicSysFlag: Number(config.topicSysFlag ?? 0),
    order: config.order === true,
    attributes: config.attributes ?? {},
  };
}
