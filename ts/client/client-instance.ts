// ClientInstance (Java `MQClientInstance`, one per SDK object, never shared through a global): the
// Remoting connections, the name servers (tried in turn), the topic route cache and the broker
// address table, the periodic route refresh (GET_ROUTEINFO_BY_TOPIC) and HEART_BEAT to every known
// broker, and UNREGISTER_CLIENT at shutdown. Its owner supplies the heartbeat's groups.
// Depends on ts/remoting, ts/common/logger.ts, client-error.ts, client-options.ts, topic-route.ts,
// heartbeat-data.ts.

import type { Logger } from '../common/logger.js';
import { RequestCode, ResponseCode } from '../remoting/codes.js';
import { RemotingClient } from '../remoting/remoting-client.js';
import { createRequest, type RemotingCommand } from '../remoting/remoting-command.js';
import type { RequestHandler } from '../remoting/request-dispatcher.js';
import { ClientError, ClientErrorCode, expectResponse, isClientError, transportError } from './client-error.js';
import type { ResolvedClientOptions } from './client-options.js';
import { encodeHeartbeatData, type HeartbeatData } from './heartbeat-data.js';
import { decodeTopicRouteData, masterAddress } from './topic-route.js';
import type { TopicRouteData } from '../protocol/route-types.js';

/** What the owner puts in heartbeats. */
export type HeartbeatSource = () => Omit<HeartbeatData, 'clientID'>;

export class ClientInstance {
  readonly clientId: string;
  readonly logger: Logger;
  readonly remoting: RemotingClient;
  private readonly routes = new Map<string, TopicRouteData>();
  /** brokerName → brokerId → address, from every route seen. */
  private readonly brokerAddrs = new Map<string, Readonly<Record<string, string>>>();
  private readonly heartbeatedAddrs = new Set<string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private namesrvIndex = 0;
  private running = false;

  constructor(
    readonly options: ResolvedClientOptions,
    private readonly heartbeatSource: HeartbeatSource,
    name: string,
  ) {
    this.clientId = options.clientId;
    this.logger = options.logger.child({ component: name, clientId: options.clientId });
    this.remoting = new RemotingClient({ name, logger: this.logger });
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts the route refresh and heartbeat timers. */
  start(): void {
    this.remoting.start();
    this.running = true;
    this.every(this.options.pollNameServerIntervalMs, () => this.refreshAllRoutes());
    this.every(this.options.heartbeatBrokerIntervalMs, () => this.sendHeartbeatToAllBrokers());
  }

  /** Stops the timers and closes every connection (in-flight requests fail with CONNECT_BROKER_EXCEPTION). */
  async shutdown(): Promise<void> {
    this.running = false;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await this.remoting.close();
  }

  /** Throws SERVICE_STATE_NOT_OK unless started and not shut down. */
  checkRunning(what: string): void {
    if (!this.running)
      throw new ClientError(ClientErrorCode.SERVICE_STATE_NOT_OK, `The ${what} is not running (call startup() first)`);
  }

  /** Routes broker-initiated requests with `codes` (e.g. NOTIFY_CONSUMER_IDS_CHANGED) to `handler`. */
  registerProcessor(codes: readonly number[], handler: RequestHandler): void {
    this.remoting.registerProcessor(codes, handler);
  }

  /** One request to `address`; transport failures become ClientErrors. The response code is not checked. */
  async invoke(
    address: string,
    request: RemotingCommand,
    timeoutMs = this.options.requestTimeoutMs,
  ): Promise<RemotingCommand> {
    try {
      return await this.remoting.invoke(address, request, timeoutMs);
    } catch (error) {
      throw transportError(error, request.code, address);
    }
  }

  /** A oneway request to `address`. */
  async invokeOneway(address: string, request: RemotingCommand): Promise<void> {
    try {
      await this.remoting.invokeOneway(address, request, this.options.requestTimeoutMs);
    } catch (error) {
      throw transportError(error, request.code, address);
    }
  }

  /** Sends `build()` to a name server, moving on to the next one when a name server cannot be reached. */
  async invokeNameServer(
    build: () => RemotingCommand,
    timeoutMs = this.options.requestTimeoutMs,
  ): Promise<{ response: RemotingCommand; address: string }> {
    const addrs = this.options.namesrvAddrs;
    let lastError: unknown = null;
    for (let attempt = 0; attempt < addrs.length; attempt++) {
      const address = addrs[(this.namesrvIndex + attempt) % addrs.length] as string;
      try {
        const response = await this.invoke(address, build(), timeoutMs);
        this.namesrvIndex = (this.namesrvIndex + attempt) % addrs.length;
        return { response, address };
      } catch (error) {
        if (!isClientError(error)) throw error;
        lastError = error;
      }
    }
    throw new ClientError(ClientErrorCode.NO_NAME_SERVER_EXCEPTION, `no name server of ${addrs.join(';')} answered`, {
      cause: lastError,
    });
  }

  /** The cached route of `topic`, if one was fetched. */
  topicRoute(topic: string): TopicRouteData | undefined {
    return this.routes.get(topic);
  }

  /**
   * GET_ROUTEINFO_BY_TOPIC: fetches and caches the route; null when the name server has none (17).
   * Brokers seen for the first time get a heartbeat before this resolves, so that they know this
   * client's groups before its first send or pull.
   */
  async updateTopicRoute(topic: string): Promise<TopicRouteData | null> {
    const build = (): RemotingCommand =>
      createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic, acceptStandardJsonOnly: 'true' });
    const { response, address } = await this.invokeNameServer(build);
    if (response.code === ResponseCode.TOPIC_NOT_EXIST) {
      this.routes.delete(topic);
      return null;
    }
    expectResponse(response, RequestCode.GET_ROUTEINFO_BY_TOPIC, address);
    const route = decodeTopicRouteData(response.body);
    this.routes.set(topic, route);
    for (const broker of route.brokerDatas) this.brokerAddrs.set(broker.brokerName, broker.brokerAddrs);
    const fresh = this.masterAddresses().filter((addr) => !this.heartbeatedAddrs.has(addr));
    await Promise.all(fresh.map((addr) => this.sendHeartbeat(addr)));
    return route;
  }

  /** The cached route, fetching it when there is none; null when the topic does not exist. */
  async topicRouteOrFetch(topic: string): Promise<TopicRouteData | null> {
    return this.routes.get(topic) ?? (await this.updateTopicRoute(topic));
  }

  /** The master's address of `brokerName` (Java `findBrokerAddressInPublish`). */
  findBrokerAddress(brokerName: string): string | undefined {
    const addrs = this.brokerAddrs.get(brokerName);
    return addrs === undefined ? undefined : masterAddress({ brokerAddrs: addrs });
  }

  /** Like findBrokerAddress, but throws BROKER_NOT_EXIST_EXCEPTION. */
  brokerAddressOrThrow(brokerName: string): string {
    const address = this.findBrokerAddress(brokerName);
    if (address === undefined)
      throw new ClientError(ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION, `The broker[${brokerName}] not exist`);
    return address;
  }

  /** Master addresses of every broker seen in a route. */
  masterAddresses(): string[] {
    const addrs: string[] = [];
    for (const table of this.brokerAddrs.values()) {
      const address = masterAddress({ brokerAddrs: table });
      if (address !== undefined) addrs.push(address);
    }
    return addrs;
  }

  /** HEART_BEAT to every known master; failures are logged (the next period retries). */
  async sendHeartbeatToAllBrokers(): Promise<void> {
    await Promise.all(this.masterAddresses().map((addr) => this.sendHeartbeat(addr)));
  }

  /** UNREGISTER_CLIENT (35) for one group on every known master; failures are logged. */
  async unregisterClient(group: { producerGroup?: string; consumerGroup?: string }): Promise<void> {
    const fields: Record<string, string> = { clientID: this.clientId, ...group };
    await Promise.all(
      this.masterAddresses().map(async (addr) => {
        try {
          const response = await this.invoke(addr, createRequest(RequestCode.UNREGISTER_CLIENT, fields));
          expectResponse(response, RequestCode.UNREGISTER_CLIENT, addr);
        } catch (error) {
          this.logger.warn('unregister client failed', { broker: addr, error: String(error) });
        }
      }),
    );
  }

  private async sendHeartbeat(address: string): Promise<void> {
    const body = encodeHeartbeatData({ clientID: this.clientId, ...this.heartbeatSource() });
    try {
      const response = await this.invoke(address, createRequest(RequestCode.HEART_BEAT, {}, body));
      expectResponse(response, RequestCode.HEART_BEAT, address);
      this.heartbeatedAddrs.add(address);
    } catch (error) {
      this.logger.warn('heartbeat failed', { broker: address, error: String(error) });
    }
  }

  private async refreshAllRoutes(): Promise<void> {
    for (const topic of [...this.routes.keys()]) {
      try {
        await this.updateTopicRoute(topic);
      } catch (error) {
        this.logger.warn('route refresh failed', { topic, error: String(error) });
      }
    }
  }

  private every(intervalMs: number, task: () => Promise<void>): void {
    const timer = setInterval(() => {
      if (this.running) void task();
    }, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }
}
