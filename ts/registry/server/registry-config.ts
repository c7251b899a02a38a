// RegistryConfig: the name server's settings with RocketMQ's names and defaults (Java
// `NamesrvConfig` and `NettyServerConfig`), one typed object. Depends on the front door's limit keys
// (ts/remoting/front-door-limits.ts).

import { homedir } from 'node:os';
import { join } from 'node:path';
import { FRONT_DOOR_CONFIG_DEFAULTS, type FrontDoorConfig } from '../../remoting/front-door-limits.js';

/** The front door's limits are the broker's keys with the broker's defaults (docs/reliability.md). */
export interface RegistryConfig extends FrontDoorConfig {
  /** `listenPort`; 0 picks a free port (tests). */
  readonly listenPort: number;
  readonly listenHost: string;
  /** `kvConfigPath`: where PUT_KV_CONFIG entries persist; null keeps them in memory. */
  readonly kvConfigPath: string | null;
  /** How often silent brokers are looked for (`scanNotActiveBroker` runs every 5 s). */
  readonly scanNotActiveBrokerIntervalMs: number;
  /**
   * Drop a broker after this long without a heartbeat; unset uses each broker's
   * `heartbeatTimeoutMillis` (default 120 s). Tests shorten it.
   */
  readonly brokerExpiredMs?: number;
}

export function defaultRegistryConfig(overrides: Partial<RegistryConfig> = {}): RegistryConfig {
  return {
    listenPort: 9876,
    listenHost: '0.0.0.0',
    kvConfigPath: join(homedir(), 'namesrv', 'kvConfig.json'),
    scanNotActiveBrokerIntervalMs: 5000,
    ...FRONT_DOOR_CONFIG_DEFAULTS,
    ...overrides,
  };
}

/**
 * The keys of a namesrv.conf (Java .properties, already read into `properties`) this registry knows:
 * `kvConfigPath` and the front door's limits (the port and host come from the command line). Other
 * keys are returned as unknown; a limit that is not a non-negative integer throws naming its key.
 */
export function registryConfigFromProperties(properties: ReadonlyMap<string, string>): {
  overrides: Partial<RegistryConfig>;
  unknownKeys: string[];
} {
  const overrides: Record<string, number | string> = {};
  const unknownKeys: string[] = [];
  for (const [key, raw] of properties) {
    if (key === 'kvConfigPath') {
      overrides[key] = raw.trim();
      continue;
    }
    if (!Object.hasOwn(FRONT_DOOR_CONFIG_DEFAULTS, key)) {
      unknownKeys.push(key);
      continue;
    }
    const value = raw.trim();
    if (!/^\d{1,15}$/.test(value)) throw new Error(`${key}: "${value}" is not a non-negative integer`);
    overrides[key] = Number(value);
  }
  return { overrides, unknownKeys };
}
