// README.md's vitest example, as written there (the import path aside; embedded.test.ts checks the two
// stay the same): the embedded all-in-one started in beforeAll, a produce and a pull, stop in afterAll.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { Producer, PullConsumer, startAllInOne, type RunningAllInOne } from '../../ts/index.js';

let mq: RunningAllInOne;
beforeAll(async () => {
  mq = await startAllInOne({ store: 'memory' }); // or { dataDir, brokerConfig: { flushDiskType: 'SYNC_FLUSH' } }
});
afterAll(() => mq.stop()); // closes every socket, timer and file

it('produces and consumes', async () => {
  const producer = new Producer({ namesrvAddr: mq.namesrvAddr, producerGroup: 'test-producer' });
  await producer.startup();
  const receipt = await producer.send({ topic: 'Orders', body: 'order-1' });
  await producer.shutdown();
  const consumer = new PullConsumer({ namesrvAddr: mq.namesrvAddr, consumerGroup: 'test-consumer' });
  await consumer.startup();
  const pulled = await consumer.pull(receipt.messageQueue, receipt.offset);
  await consumer.shutdown();
  expect(pulled.messages.map((message) => message.body.toString())).toEqual(['order-1']);
});
