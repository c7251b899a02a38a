// RegistryConfig: the name server's settings with RocketMQ's names and defaults (Java
// `NamesrvConfig` and `NettyServerConfig`), one typed object. Depends on nothing.

import { homedir } from 'node:os';
import { join } from 'node:path';

export interface RegistryConfig {
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
  /** The largest frame accepted (`com.rocketmq.remoting.frameMaxLength`). */
  readonly maxFrameSizeBytes: number;
}

export function defaultRegistryConfig(overrides: Partial<RegistryConfig> = {}): RegistryConfig {
  return {
    listenPort: 9876,
    listenHost: '0.0.0.0',
    kvConfigPath: join(homedir(), 'namesrv', 'kvConfig.json'),
    scanNotActiveBrokerIntervalMs: 5000,
    maxFrameSizeBytes: 16 * 1024 * 1024,
    ...overrides,
  };
}
