// The probe client of the front-door suites as its own process (so the test's own sending does not
// delay it): sends a request every 100 ms to argv[2] ("host:port"; argv[3] "broker" or "registry")
// and prints each answer's latency in milliseconds, or "fail", one per line on stdout.

import { createMemoryLogger } from '../../ts/common/logger.js';
import { RequestCode } from '../../ts/remoting/codes.js';
import { RemotingClient } from '../../ts/remoting/remoting-client.js';
import { createRequest } from '../../ts/remoting/remoting-command.js';

const [address = '', kind = 'broker'] = process.argv.slice(2);
const client = new RemotingClient({ logger: createMemoryLogger() });
const request = () =>
  kind === 'broker'
    ? createRequest(RequestCode.GET_MAX_OFFSET, { topic: 'TBW102', queueId: '0' })
    : createRequest(RequestCode.GET_BROKER_CLUSTER_INFO);

async function once(): Promise<void> {
  const started = performance.now();
  try {
    await client.invoke(address, request(), 5000);
    process.stdout.write(`${(performance.now() - started).toFixed(2)}\n`);
  } catch {
    process.stdout.write('fail\n');
  }
}

setInterval(() => void once(), 100);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
