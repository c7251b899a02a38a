// Specification of the registry's liveness scanner on the fake clock: every
// scanNotActiveBrokerIntervalMs it drops the brokers silent past their heartbeat timeout, and it stops
// with the registry. No sleeps (the TCP registration path is in registry-tcp.test.ts).

import { describe, expect, it } from 'vitest';
import type { RegisterBrokerRequest } from '../../ts/registry/domain/route-types.js';
import { FakeScheduler } from '../support/fake-scheduler.js';
import { startTestRegistry } from './registry-fixtures.js';

function registration(brokerName: string, brokerAddr: string): RegisterBrokerRequest {
  return {
    clusterName: 'DefaultCluster',
    brokerAddr,
    brokerName,
    brokerId: 0,
    haServerAddr: brokerAddr,
    connectionId: `conn-${brokerName}`,
    heartbeatTimeoutMs: 10_000,
    enableActingMaster: false,
    topicConfigs: [],
    dataVersion: { counter: 1, stateVersion: 0, timestamp: 1000 },
  };
}

describe('registry: liveness scanner', () => {
  it('drops a broker silent past its heartbeat timeout at the next scan, on the injected clock', async () => {
    const clock = new FakeScheduler();
    const { registry } = await startTestRegistry({ scanNotActiveBrokerIntervalMs: 5_000 }, clock);
    try {
      registry.routes.registerBroker(registration('broker-a', '127.0.0.1:10911'), clock.now());
      registry.routes.registerBroker(registration('broker-b', '127.0.0.1:20911'), clock.now());
      const brokerNames = () => Object.keys(registry.routes.clusterInfo().brokerAddrTable).sort();
      expect(clock.pendingTimers).toBe(1);
      clock.advance(9_000);
      registry.routes.heartbeat('DefaultCluster', '127.0.0.1:20911', clock.now());
      clock.advance(1_000);
      expect(brokerNames()).toEqual(['broker-a', 'broker-b']);
      clock.advance(5_000);
      expect(brokerNames()).toEqual(['broker-b']);
      clock.advance(5_000);
      expect(brokerNames()).toEqual([]);
    } finally {
      await registry.stop();
    }
    expect(clock.pendingTimers).toBe(0);
  });
});
