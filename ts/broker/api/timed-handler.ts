// Timing of Remoting requests for the rpc latency metric (Apache `RemotingMetricsManager#rpcLatency`):
// a handler wrapped so each answered request reports its code, its response code (-1 without a reply;
// 1, SYSTEM_ERROR, when the handler threw) and how long it took, long-polled pulls included.
// Depends on request-fields.ts and node:perf_hooks.

import { performance } from 'node:perf_hooks';
import type { RemotingCommand } from '../../remoting/remoting-command.js';
import type { BrokerConnection, BrokerRequestHandler } from './request-fields.js';

/** One request answered: its code, the response code and the time it took (ms). */
export type RpcObserver = (requestCode: number, responseCode: number, elapsedMs: number) => void;

/** The Remoting code of a handler failure (the dispatcher answers it). */
const SYSTEM_ERROR = 1;

/** `handler.handle` reporting every request to `observe`. */
export function timedHandle(handler: BrokerRequestHandler, observe: RpcObserver): BrokerRequestHandler['handle'] {
  return (request: RemotingCommand, connection: BrokerConnection) => {
    const startedMs = performance.now();
    const done = (responseCode: number): void => observe(request.code, responseCode, performance.now() - startedMs);
    let reply: ReturnType<BrokerRequestHandler['handle']>;
    try {
      reply = handler.handle(request, connection);
    } catch (error) {
      done(SYSTEM_ERROR);
      throw error;
    }
    if (!(reply instanceof Promise)) {
      done(reply?.code ?? -1);
      return reply;
    }
    return reply.then(
      (answer) => {
        done(answer?.code ?? -1);
        return answer;
      },
      (error: unknown) => {
        done(SYSTEM_ERROR);
        throw error;
      },
    );
  };
}
