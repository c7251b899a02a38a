// BrokerRegistryClient (Java `BrokerOuterAPI` + the broker's register task): registers the broker
// with every registry in `namesrvAddr` at start and every `registerNameServerPeriod` (30 s), with
// its topic configs as a RegisterBrokerBody (CRC-checked), and unregisters on stop. A registry that
// is down is logged and retried on the next period; the others are unaffected.
// Depends on ts/remoting and ts/common (the Scheduler arms the period).

import { crc32 } from 'node:zlib';
import type { Component } from '../../common/lifecycle.js';
import type { Logger } from '../../common/logger.js';
import type { Scheduler, TimerHandle } from '../../common/scheduler.js';
import type { DataVersion, TopicConfig } from '../../protocol/route-types.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import type { RemotingClient } from '../../remoting/remoting-client.js';
import { createRequest } from '../../remoting/remoting-command.js';

/** What the broker registers: its topics and their version (TopicConfigManager provides it). */
export interface TopicConfigSource {
  topicConfigSerializeWrapper(): { topicConfigTable: Record<string, TopicConfig>; dataVersion: DataVersion };
}

export interface BrokerIdentity {
  readonly clusterName: string;
  readonly brokerName: string;
  readonly brokerId: number;
  /** `brokerIP1:listenPort`, the address clients dial. */
  readonly brokerAddr: string;
  /** `brokerIP2:haListenPort` (read at registration time), empty when replication is off. */
  readonly haServerAddr: string;
}

export interface RegistryClientOptions {
  /** `namesrvAddr`: `host:port;host:port`. */
  readonly namesrvAddr: string;
  readonly registerPeriodMs: number;
  readonly registerTimeoutMs: number;
  /** `heartbeatTimeoutMillis` sent with the registration (the registry drops us after it). */
  readonly heartbeatTimeoutMs: number;
  /** A slave hears its master's addresses from each accepted registration (`RegisterBrokerResult`). */
  readonly onRegistered?: (result: { haServerAddr: string; masterAddr: string }) => void;
}

/** The registries of a `namesrvAddr` list (`;`-separated, blanks ignored). */
export function parseNamesrvAddr(namesrvAddr: string): string[] {
  return namesrvAddr
    .split(';')
    .map((address) => address.trim())
    .filter((address) => address !== '');
}

export class BrokerRegistryClient implements Component {
  readonly name = 'registry-client';
  /** undefined while stopped. */
  private timer: TimerHandle = undefined;
  private readonly registries: string[];

  constructor(
    private readonly remoting: RemotingClient,
    private readonly identity: BrokerIdentity,
    private readonly topics: TopicConfigSource,
    private readonly options: RegistryClientOptions,
    private readonly logger: Logger,
    private readonly scheduler: Scheduler,
  ) {
    this.registries = parseNamesrvAddr(options.namesrvAddr);
  }

  async start(): Promise<void> {
    await this.registerAll();
    this.timer = this.scheduler.setRepeating(this.options.registerPeriodMs, () => void this.registerAll());
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) this.scheduler.clearTimer(this.timer);
    await this.unregisterAll();
  }

  /** Registers with every registry now (also after a topic change); returns how many accepted. */
  async registerAll(): Promise<number> {
    const request = () => this.registerRequest();
    const results = await Promise.all(this.registries.map((address) => this.invoke(address, request(), 'register')));
    return results.filter((ok) => ok).length;
  }

  private async unregisterAll(): Promise<void> {
    const header = {
      clusterName: this.identity.clusterName,
      brokerAddr: this.identity.brokerAddr,
      brokerName: this.identity.brokerName,
      brokerId: String(this.identity.brokerId),
    };
    await Promise.all(
      this.registries.map((address) =>
        this.invoke(address, createRequest(RequestCode.UNREGISTER_BROKER, header), 'unregister'),
      ),
    );
  }

  private registerRequest() {
    const wrapper = this.topics.topicConfigSerializeWrapper();
    const body = Buffer.from(JSON.stringify({ filterServerList: [], topicConfigSerializeWrapper: wrapper }), 'utf8');
    return createRequest(
      RequestCode.REGISTER_BROKER,
      {
        brokerAddr: this.identity.brokerAddr,
        brokerId: String(this.identity.brokerId),
        brokerName: this.identity.brokerName,
        clusterName: this.identity.clusterName,
        haServerAddr: this.identity.haServerAddr,
        compressed: 'false',
        bodyCrc32: String(crc32(body) & 0x7fffffff),
        heartbeatTimeoutMillis: String(this.options.heartbeatTimeoutMs),
        enableActingMaster: 'false',
      },
      body,
    );
  }

  private async invoke(address: string, request: ReturnType<typeof createRequest>, what: string): Promise<boolean> {
    try {
      const reply = await this.remoting.invoke(address, request, this.options.registerTimeoutMs);
      if (reply.code === ResponseCode.SUCCESS) {
        const { haServerAddr = '', masterAddr = '' } = reply.extFields;
        if (request.code === RequestCode.REGISTER_BROKER) this.options.onRegistered?.({ haServerAddr, masterAddr });
        return true;
      }
      this.logger.warn(`${what} refused`, { registry: address, code: reply.code, remark: reply.remark });
    } catch (error) {
      this.logger.warn(`${what} failed`, { registry: address, error: String(error) });
    }
    return false;
  }
}
