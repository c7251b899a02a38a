// GET_PRODUCER_CONNECTION_LIST (204) and GET_BROKER_CONFIG (26) through the handler table on the memory
// store: the producers a heartbeat registered, Java's SYSTEM_ERROR for an unknown group, and the
// running config as sorted `key=value` lines. No TCP, no sleeps.

import { describe, expect, it } from 'vitest';
import { decodePropertiesText } from '../../../ts/protocol/properties-text.js';
import { RequestCode, ResponseCode } from '../../../ts/remoting/codes.js';
import { createRequest } from '../../../ts/remoting/remoting-command.js';
import { answer, handlerBroker, testConnection } from './handler-fixtures.js';

const producerHeartbeat = (clientID: string, group: string) =>
  createRequest(
    RequestCode.HEART_BEAT,
    {},
    Buffer.from(JSON.stringify({ clientID, producerDataSet: [{ groupName: group }], consumerDataSet: [] })),
  );

describe('api: producer connections and broker config', () => {
  it("lists a producer group's clients with their address, and refuses a group it does not know", async () => {
    const broker = handlerBroker();
    const connection = testConnection('127.0.0.1:60011');
    expect((await answer(broker, producerHeartbeat('p1', 'pg'), connection)).code).toBe(ResponseCode.SUCCESS);
    const listed = await answer(
      broker,
      createRequest(RequestCode.GET_PRODUCER_CONNECTION_LIST, { producerGroup: 'pg' }),
    );
    expect(listed.code).toBe(ResponseCode.SUCCESS);
    const body = JSON.parse(listed.body?.toString() ?? '{}') as { connectionSet: Record<string, unknown>[] };
    expect(body.connectionSet).toEqual([
      expect.objectContaining({ clientId: 'p1', clientAddr: '127.0.0.1:60011', language: 'JAVA' }),
    ]);
    const unknown = await answer(
      broker,
      createRequest(RequestCode.GET_PRODUCER_CONNECTION_LIST, { producerGroup: 'x' }),
    );
    expect(unknown).toMatchObject({ code: ResponseCode.SYSTEM_ERROR, remark: 'the producer group[x] not exist' });
  });

  it('answers the running config, sorted by key', async () => {
    const broker = handlerBroker();
    const reply = await answer(broker, createRequest(RequestCode.GET_BROKER_CONFIG));
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    const config = decodePropertiesText(reply.body);
    expect(config['brokerName']).toBe(broker.config.brokerName);
    expect(config['brokerClusterName']).toBe(broker.config.brokerClusterName);
    expect(Object.keys(config)).toEqual(Object.keys(config).sort());
  });
});
