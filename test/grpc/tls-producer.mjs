// A child process for test/grpc/tls.test.ts: the official Node.js Producer with `sslEnabled`, trusting the
// test's self-signed certificate through grpc-js's GRPC_DEFAULT_SSL_ROOTS_FILE_PATH (as a user trusts a private
// CA), sends one message to the endpoint and topic given as arguments and prints its receipt as one JSON line.

import { Producer } from 'rocketmq-client-nodejs';

const [endpoints, topic] = process.argv.slice(2);
const logger = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {}, close: () => {} };
const producer = new Producer({ endpoints, namespace: '', topics: [topic], sslEnabled: true, logger });
try {
  await producer.startup();
  const receipt = await producer.send({ topic, tag: 'tls', body: Buffer.from('over TLS') });
  process.stdout.write(`${JSON.stringify({ messageId: receipt.messageId })}\n`);
} finally {
  await producer.shutdown();
}
