// Child process for embedded.test.ts: starts the embedded all-in-one (store from argv[2]), produces and
// consumes one message with the package's own client, stops it, and prints the resources still active.
// The process must then exit on its own: nothing may hold the event loop.

import { PullConsumer, Producer, startAllInOne } from '../../ts/index.js';
import { createMemoryLogger } from '../../ts/common/logger.js';

const store = process.argv[2] === 'memory' ? 'memory' : 'disk';
const before = new Set(process.getActiveResourcesInfo());
const mq = await startAllInOne({ store, logger: createMemoryLogger() });
const clientOptions = { namesrvAddr: mq.namesrvAddr, clientIp: '127.0.0.1', logger: createMemoryLogger() };
const producer = new Producer({ ...clientOptions, producerGroup: 'embedded-producer' });
await producer.startup();
const receipt = await producer.send({ topic: 'EmbeddedTopic', body: 'hello' });
await producer.shutdown();
const consumer = new PullConsumer({ ...clientOptions, consumerGroup: 'embedded-consumer' });
await consumer.startup();
const pulled = await consumer.pull(receipt.messageQueue, receipt.offset, { maxNums: 1 });
await consumer.shutdown();
await mq.stop();
// Handles being closed are listed until their close callbacks run on the next loop turns.
for (let turn = 0; turn < 3; turn += 1) await new Promise((resolve) => setImmediate(resolve));
const left = process.getActiveResourcesInfo().filter((resource) => !before.has(resource));
console.log(JSON.stringify({ sent: receipt.messageId, received: pulled.messages.map((m) => m.messageId), left }));
