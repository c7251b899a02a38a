// timedHandle: every request reports its code, its response code (-1 without a reply, 1 when the
// handler threw or rejected) and a non-negative duration, for the rpc latency metric.

import { describe, expect, it } from 'vitest';
import { timedHandle } from '../../../ts/broker/api/timed-handler.js';
import type { BrokerRequestHandler } from '../../../ts/broker/api/request-fields.js';
import { createRequest, createResponse, type RemotingCommand } from '../../../ts/remoting/remoting-command.js';

const connection = { remoteAddress: '127.0.0.1:1', invokeOneway: () => undefined };

function handlerOf(handle: BrokerRequestHandler['handle']): BrokerRequestHandler {
  return { codes: [10], handle };
}

describe('api: request timing', () => {
  it('reports synchronous, asynchronous, missing and failed replies', async () => {
    const seen: Array<[number, number]> = [];
    const observe = (code: number, response: number, elapsedMs: number): void => {
      expect(elapsedMs).toBeGreaterThanOrEqual(0);
      seen.push([code, response]);
    };
    const request = createRequest(10, {});
    const reply = (r: RemotingCommand): RemotingCommand => createResponse(r, 17, 'no topic');
    void timedHandle(handlerOf(reply), observe)(request, connection);
    const later = handlerOf((r) => Promise.resolve(reply(r)));
    await timedHandle(later, observe)(request, connection);
    const none = handlerOf(() => null);
    void timedHandle(none, observe)(request, connection);
    expect(() =>
      timedHandle(
        handlerOf(() => {
          throw new Error('boom');
        }),
        observe,
      )(request, connection),
    ).toThrow('boom');
    await expect(
      timedHandle(
        handlerOf(() => Promise.reject(new Error('late'))),
        observe,
      )(request, connection),
    ).rejects.toThrow('late');
    expect(seen).toEqual([
      [10, 17],
      [10, 17],
      [10, -1],
      [10, 1],
      [10, 1],
    ]);
  });
});
