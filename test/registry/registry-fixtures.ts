// Shared fixtures of the registry suites: a REGISTER_BROKER request as a Java broker sends it
// (RegisterBrokerBody in fastjson's sorted-key JSON, with its CRC), and registries on ephemeral ports.

import { crc32 } from 'node:zlib';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { nodeScheduler } from '../../ts/common/node-scheduler.js';
import type { Scheduler } from '../../ts/common/scheduler.js';
import { Registry } from '../../ts/registry/server/registry.js';
import { defaultRegistryConfig, type RegistryConfig } from '../../ts/registry/server/registry-config.js';
import { RequestCode } from '../../ts/remoting/codes.js';
import { createRequest, type RemotingCommand } from '../../ts/remoting/remoting-command.js';

export interface BrokerRegistration {
  readonly brokerName: string;
  readonly brokerAddr: string;
  readonly clusterName?: string;
  readonly brokerId?: number;
  readonly haServerAddr?: string;
  /** Topic name → queue count (read and write). */
  readonly topics?: Record<string, number>;
  readonly dataVersionCounter?: number;
}

/** The RegisterBrokerBody JSON of `topics`. */
export function registerBrokerBody(topics: Record<string, number>, counter = 1): Buffer {
  const table = Object.fromEntries(
    Object.entries(topics).map(([name, queues]) => [
      name,
      {
        attributes: {},
        order: false,
        perm: 6,
        readQueueNums: queues,
        topicFilterType: 'SINGLE_TAG',
        topicName: name,
        topicSysFlag: 0,
        writeQueueNums: queues,
      },
    ]),
  );
  const wrapper = { dataVersion: { counter, stateVersion: 0, timestamp: 1_700_000_000_000 }, topicConfigTable: table };
  return Buffer.from(JSON.stringify({ filterServerList: [], topicConfigSerializeWrapper: wrapper }));
}

export function registerBrokerRequest(broker: BrokerRegistration): RemotingCommand {
  const body = registerBrokerBody(broker.topics ?? { TopicA: 4, TBW102: 8 }, broker.dataVersionCounter);
  return createRequest(
    RequestCode.REGISTER_BROKER,
    {
      brokerName: broker.brokerName,
      brokerAddr: broker.brokerAddr,
      clusterName: broker.clusterName ?? 'DefaultCluster',
      haServerAddr: broker.haServerAddr ?? '',
      brokerId: String(broker.brokerId ?? 0),
      compressed: 'false',
      bodyCrc32: String(crc32(body) & 0x7fffffff),
    },
    body,
  );
}

/** A started registry on 127.0.0.1 and an ephemeral port, with KV config in memory (real time by default). */
export async function startTestRegistry(
  overrides: Partial<RegistryConfig> = {},
  scheduler: Scheduler = nodeScheduler,
): Promise<{ registry: Registry; address: string }> {
  const config = defaultRegistryConfig({ listenPort: 0, listenHost: '127.0.0.1', kvConfigPath: null, ...overrides });
  const registry = new Registry(config, createMemoryLogger(), scheduler);
  await registry.start();
  return { registry, address: `127.0.0.1:${registry.port}` };
}
