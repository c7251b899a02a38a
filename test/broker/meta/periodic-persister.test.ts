import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '../../../ts/common/logger.js';
import { PeriodicPersister } from '../../../ts/broker/infra/meta/periodic-persister.js';
import { nodeScheduler } from '../../../ts/common/node-scheduler.js';

describe('meta: periodic persister', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('persists every interval and once more on stop', () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    const persister = new PeriodicPersister(
      [
        { name: 'a', persist: () => calls.push('a') },
        { name: 'b', persist: () => calls.push('b') },
      ],
      5000,
      createMemoryLogger(),
      nodeScheduler,
    );
    persister.start();
    vi.advanceTimersByTime(4999);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['a', 'b']);
    persister.stop();
    expect(calls).toEqual(['a', 'b', 'a', 'b']);
    vi.advanceTimersByTime(10_000);
    expect(calls).toHaveLength(4);
  });

  it('logs a failing target and still persists the rest', () => {
    const logger = createMemoryLogger();
    let persisted = 0;
    const persister = new PeriodicPersister(
      [
        {
          name: 'broken',
          persist: () => {
            throw new Error('disk full');
          },
        },
        {
          name: 'ok',
          persist: () => {
            persisted += 1;
          },
        },
      ],
      1000,
      logger,
      nodeScheduler,
    );
    expect(persister.persistAll()).toBe(1);
    expect(persisted).toBe(1);
    const errors = logger.lines.filter((line) => line.level === 'error');
    expect(errors.map((line) => line.fields?.target)).toEqual(['broken']);
  });
});
