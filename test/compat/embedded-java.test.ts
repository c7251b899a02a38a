// The embedded all-in-one (`startAllInOne`, memory store) serves the official Java producer and push
// consumer (test/compat/java's ClientProbe), then stop() closes its ports.

import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { startAllInOne } from '../../ts/index.js';
import { buildJavaProbes, clientProbe as probe, FAST_CLIENT, messageLines } from './compat-fixtures.js';

/** Whether something accepts TCP connections at `host:port`. */
function accepts(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const socket = connect(Number(port), host);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('compat: the Java client against the embedded all-in-one', () => {
  it('produces and consumes through startAllInOne({ store: "memory" }), then stop() closes both ports', async () => {
    await buildJavaProbes();
    const mq = await startAllInOne({ store: 'memory', logger: createMemoryLogger() });
    try {
      const sent = await probe('produce', mq.namesrvAddr, 'EmbeddedJava', '4', 'sync', '--keys', 'k-{i}');
      expect(sent.at(-1)).toMatchObject({ done: true, sent: 4 });
      const args = ['consume', mq.namesrvAddr, 'embedded_java', 'EmbeddedJava', '*', '4', '60000', ...FAST_CLIENT];
      const received = await probe(...args);
      expect(received.at(-1)).toMatchObject({ done: true, distinct: 4 });
      expect(new Set(messageLines(received).map((line) => line['keys']))).toEqual(
        new Set(['k-0', 'k-1', 'k-2', 'k-3']),
      );
    } finally {
      await mq.stop();
    }
    expect(await accepts(mq.namesrvAddr)).toBe(false);
    expect(await accepts(mq.brokerAddr)).toBe(false);
  }, 600_000);
});
