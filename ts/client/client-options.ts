// The options every SDK client shares (Java `ClientConfig`): name server addresses, instance name
// and client id, request timeout, route and heartbeat periods, logger; with their defaults and
// checks; the UNIQ_KEY generator of a client object. Depends on node:os, node:net, ts/common/logger.ts,
// ts/protocol/unique-id.ts, client-error.ts.

import { isIPv4 } from 'node:net';
import { networkInterfaces } from 'node:os';
import { createJsonLogger, type Logger } from '../common/logger.js';
import { socketAddress } from '../common/socket-address.js';
import { fakeIp, UniqueIdGenerator } from '../protocol/unique-id.js';
import { ClientError, ClientErrorCode } from './client-error.js';

export interface ClientOptions {
  /** Name servers, "host:port;host:port" or a list (Java `namesrvAddr`). */
  readonly namesrvAddr: string | readonly string[];
  /** Part of the client id; default `<pid>#<hrtime>` so every client object is its own member. */
  readonly instanceName?: string;
  /** The IP written into the client id and message ids; default the first non-internal IPv4. */
  readonly clientIp?: string;
  /** Timeout of one request; default 3000 ms. */
  readonly requestTimeoutMs?: number;
  /** Route refresh period (Java `pollNameServerInterval`); default 30 000 ms. */
  readonly pollNameServerIntervalMs?: number;
  /** Heartbeat period (Java `heartbeatBrokerInterval`); default 30 000 ms. */
  readonly heartbeatBrokerIntervalMs?: number;
  /** Default: JSON lines on stderr at "warn". */
  readonly logger?: Logger;
}

export interface ResolvedClientOptions {
  readonly namesrvAddrs: readonly string[];
  readonly clientId: string;
  readonly clientIp: string;
  readonly requestTimeoutMs: number;
  readonly pollNameServerIntervalMs: number;
  readonly heartbeatBrokerIntervalMs: number;
  readonly logger: Logger;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 3000;
export const DEFAULT_POLL_NAME_SERVER_INTERVAL_MS = 30_000;
export const DEFAULT_HEARTBEAT_BROKER_INTERVAL_MS = 30_000;

/** Java `Validators.VALID_PATTERN_STR` and `TopicValidator.TOPIC_MAX_LENGTH`: names of topics and groups. */
const VALID_NAME = /^[%|a-zA-Z0-9_-]+$/;
const MAX_NAME_LENGTH = 127;
const MAX_GROUP_NAME_LENGTH = 255;

/** Checks a topic name as Java `Validators.checkTopic` does; throws ILLEGAL_ARGUMENT. */
export function checkTopicName(topic: string): void {
  if (topic.trim() === '') throw new ClientError(ClientErrorCode.ILLEGAL_ARGUMENT, 'The specified topic is blank');
  if (topic.length > MAX_NAME_LENGTH) {
    throw new ClientError(
      ClientErrorCode.ILLEGAL_ARGUMENT,
      `The specified topic is longer than topic max length ${MAX_NAME_LENGTH}.`,
    );
  }
  if (!VALID_NAME.test(topic)) {
    throw new ClientError(
      ClientErrorCode.ILLEGAL_ARGUMENT,
      `The specified topic[${topic}] contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$`,
    );
  }
}

/** Checks a producer or consumer group name as Java `Validators.checkGroup` does; throws ILLEGAL_ARGUMENT. */
export function checkGroupName(group: string, what: string): void {
  if (group.trim() === '') throw new ClientError(ClientErrorCode.ILLEGAL_ARGUMENT, `the specified ${what} is blank`);
  if (group.length > MAX_GROUP_NAME_LENGTH) {
    throw new ClientError(
      ClientErrorCode.ILLEGAL_ARGUMENT,
      `the specified ${what} is longer than ${MAX_GROUP_NAME_LENGTH}`,
    );
  }
  if (!VALID_NAME.test(group)) {
    throw new ClientError(
      ClientErrorCode.ILLEGAL_ARGUMENT,
      `the specified ${what}[${group}] contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$`,
    );
  }
}

/** "a:1;b:2" or ["a:1", "b:2"] → ["a:1", "b:2"]. */
export function parseNamesrvAddr(namesrvAddr: string | readonly string[]): string[] {
  const parts = typeof namesrvAddr === 'string' ? namesrvAddr.split(';') : [...namesrvAddr];
  const addrs = parts.map((part) => part.trim()).filter((part) => part !== '');
  if (addrs.length === 0)
    throw new ClientError(ClientErrorCode.NO_NAME_SERVER_EXCEPTION, 'namesrvAddr names no name server');
  return addrs;
}

/** Java `RemotingUtil.getLocalAddress`: the first non-internal IPv4, else 127.0.0.1. */
export function localIpv4(): string {
  const found = Object.values(networkInterfaces())
    .flat()
    .find((info) => info !== undefined && info.family === 'IPv4' && !info.internal);
  return found?.address ?? '127.0.0.1';
}

/**
 * The UNIQ_KEY generator of one client object: the client's IPv4 (a fake IP from the clock when the
 * option is not one), the low bits of the pid, and a random process hash standing in for Java's.
 */
export function clientUniqueIdGenerator(clientIp: string, now: () => number = Date.now): UniqueIdGenerator {
  const ip = isIPv4(clientIp) ? socketAddress(clientIp, 0).address : fakeIp(now());
  return new UniqueIdGenerator({ ip, pid: process.pid, processHash: (Math.random() * 0x7fffffff) | 0, now });
}

/** A positive number option, or its default; throws ILLEGAL_ARGUMENT otherwise. */
export function positiveOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new ClientError(ClientErrorCode.ILLEGAL_ARGUMENT, `${name} must be positive, not ${value}`);
  return value;
}

/** Defaults applied and values checked. The client id is `ip@instanceName` (Java `buildMQClientId`). */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  const clientIp = options.clientIp ?? localIpv4();
  const instanceName = options.instanceName ?? `${process.pid}#${process.hrtime.bigint()}`;
  return {
    namesrvAddrs: parseNamesrvAddr(options.namesrvAddr),
    clientId: `${clientIp}@${instanceName}`,
    clientIp,
    requestTimeoutMs: positiveOption('requestTimeoutMs', options.requestTimeoutMs, DEFAULT_REQUEST_TIMEOUT_MS),
    pollNameServerIntervalMs: positiveOption(
      'pollNameServerIntervalMs',
      options.pollNameServerIntervalMs,
      DEFAULT_POLL_NAME_SERVER_INTERVAL_MS,
    ),
    heartbeatBrokerIntervalMs: positiveOption(
      'heartbeatBrokerIntervalMs',
      options.heartbeatBrokerIntervalMs,
      DEFAULT_HEARTBEAT_BROKER_INTERVAL_MS,
    ),
    logger: options.logger ?? createJsonLogger('warn'),
  };
}
