// The store component's logs: the store opened, an open (recovery) failure with its cause, and failed
// flush passes logged the first time and then one in 100 (a failing disk fails every pass).

import { describe, expect, it } from 'vitest';
import { defaultBrokerConfig } from '../../ts/broker/server/broker-config.js';
import { StoreComponent } from '../../ts/broker/infra/store-component.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { MemoryMessageStore } from '../../ts/store/memory-message-store.js';

function memoryStore(onFlushError: (listener: (error: string) => void) => void) {
  const memory = new MemoryMessageStore({ now: () => 0, messageDelayLevel: defaultBrokerConfig().messageDelayLevel });
  return Object.assign(memory, { getFlushedPhysicalOffset: () => 0, onFlushError });
}

describe('store component: logs', () => {
  it('logs the store opened, and failed flushes the first time then one in 100', () => {
    let report: (error: string) => void = () => undefined;
    const logger = createMemoryLogger();
    const component = new StoreComponent(
      defaultBrokerConfig(),
      () => memoryStore((listener) => (report = listener)),
      logger,
    );
    component.start();
    for (let i = 0; i < 101; i++) report('EIO');
    expect(logger.lines.map((line) => [line.level, line.message])).toEqual([
      ['info', 'store opened'],
      ['error', 'store flush failed'],
      ['error', 'store flush failed'],
    ]);
    expect(logger.lines[2]?.fields).toMatchObject({ error: 'EIO', failedFlushes: 101 });
    component.stop();
  });

  it('logs a store that cannot be opened, and still fails the start', () => {
    const logger = createMemoryLogger();
    const component = new StoreComponent(
      defaultBrokerConfig(),
      () => {
        throw new Error('ERR_CORRUPT: bad record');
      },
      logger,
    );
    expect(() => component.start()).toThrow('ERR_CORRUPT');
    expect(logger.lines).toEqual([
      {
        level: 'error',
        message: 'store could not be opened or recovered',
        fields: { error: 'Error: ERR_CORRUPT: bad record' },
      },
    ]);
  });
});
