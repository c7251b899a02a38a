// The requester's side of request-reply without a broker: a pushed reply (PUSH_REPLY_MESSAGE_TO_CLIENT)
// decoded, inflated and handed to the request with its CORRELATION_ID, answered SUCCESS (also when no
// request waits for it); an undecodable push answered SYSTEM_ERROR; a request nobody answers timing out
// with Java's text; the replier's helper copying what a reply needs.

import { deflateSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientErrorCode } from '../../ts/client/client-error.js';
import type { MessageView } from '../../ts/client/message/message-view.js';
import { createReplyMessage, prepareReply } from '../../ts/client/producer/reply-message.js';
import { PendingRequests } from '../../ts/client/producer/request-reply.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { encodeMessageProperties } from '../../ts/protocol/message-properties.js';
import { encodeReplyMessageRequestHeader } from '../../ts/protocol/reply-message-header.js';
import { RequestCode, ResponseCode } from '../../ts/remoting/codes.js';
import { createRequest } from '../../ts/remoting/remoting-command.js';

function push(correlationId: string, body: Buffer, sysFlag = 0) {
  const header = encodeReplyMessageRequestHeader({
    producerGroup: 'replier_pg',
    topic: 'DefaultCluster_REPLY_TOPIC',
    defaultTopic: 'TBW102',
    defaultTopicQueueNums: 4,
    queueId: 0,
    sysFlag,
    bornTimestamp: 1_700_000_000_000,
    flag: 0,
    properties: encodeMessageProperties({ CORRELATION_ID: correlationId, MSG_TYPE: 'reply', color: 'red' }),
    reconsumeTimes: 0,
    unitMode: false,
    bornHost: '127.0.0.1:50002',
    storeHost: '127.0.0.1:10911',
    storeTimestamp: 1_700_000_000_500,
  });
  return createRequest(RequestCode.PUSH_REPLY_MESSAGE_TO_CLIENT, header, body);
}

afterEach(() => vi.useRealTimers());

describe('client: pending requests and pushed replies', () => {
  it('hands an inflated reply to its request and answers SUCCESS', async () => {
    const requests = new PendingRequests(createMemoryLogger());
    const reply = requests.register('c-1', { topic: 'T', timeoutMs: 5_000, waitMs: 5_000 });
    const answer = requests.onPushedReply(push('c-1', deflateSync(Buffer.from('pong')), 0x1));
    expect(answer.code).toBe(ResponseCode.SUCCESS);
    const view = await reply;
    expect(view).toMatchObject({
      topic: 'DefaultCluster_REPLY_TOPIC',
      correlationId: 'c-1',
      bornHost: '127.0.0.1:50002',
    });
    expect(view.body.toString()).toBe('pong');
    expect(view.properties.get('color')).toBe('red');
    expect(view.systemProperties.has('ARRIVE_TIME')).toBe(true);
    expect(requests.size).toBe(0);
  });

  it('answers SUCCESS to a reply no request waits for, SYSTEM_ERROR to an undecodable push', () => {
    const requests = new PendingRequests(createMemoryLogger());
    expect(requests.onPushedReply(push('nobody', Buffer.from('late'))).code).toBe(ResponseCode.SUCCESS);
    const broken = createRequest(RequestCode.PUSH_REPLY_MESSAGE_TO_CLIENT, { topic: 'T' }, Buffer.from('x'));
    expect(requests.onPushedReply(broken)).toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      remark: 'process reply message fail',
    });
  });

  it('times out a request with Java text, and forgets or rejects the others', async () => {
    vi.useFakeTimers();
    const requests = new PendingRequests(createMemoryLogger());
    const late = requests.register('c-1', { topic: 'T', timeoutMs: 3_000, waitMs: 2_990 });
    void requests.register('c-2', { topic: 'T', timeoutMs: 3_000, waitMs: 3_000 });
    requests.forget('c-2');
    const shut = requests.register('c-3', { topic: 'T', timeoutMs: 60_000, waitMs: 60_000 });
    vi.advanceTimersByTime(2_990);
    await expect(late).rejects.toMatchObject({
      code: ClientErrorCode.REQUEST_TIMEOUT_EXCEPTION,
      remark: 'send request message to <T> OK, but wait reply message timeout, 3000 ms.',
    });
    requests.rejectAll(new Error('shut down'));
    await expect(shut).rejects.toThrow('shut down');
    expect(requests.size).toBe(0);
  });

  it('makes a reply to the cluster reply topic with the request ids, and sends it as a reply', () => {
    const request = {
      systemProperties: new Map([
        ['CLUSTER', 'DefaultCluster'],
        ['CORRELATION_ID', 'c-1'],
        ['REPLY_TO_CLIENT', '127.0.0.1@requester'],
        ['TTL', '3000'],
        ['UNIQ_KEY', 'not copied'],
      ]),
    } as unknown as MessageView;
    const reply = createReplyMessage(request, 'pong');
    expect(reply.topic).toBe('DefaultCluster_REPLY_TOPIC');
    expect(Object.fromEntries(reply.replyProperties)).toEqual({
      MSG_TYPE: 'reply',
      CORRELATION_ID: 'c-1',
      REPLY_TO_CLIENT: '127.0.0.1@requester',
      TTL: '3000',
    });
    expect(prepareReply(reply, 1024)).toMatchObject({ topic: 'DefaultCluster_REPLY_TOPIC', delayLevel: 0 });
    expect(() => prepareReply({ ...reply, body: Buffer.alloc(0) }, 1024)).toThrow('the message body length is zero');
    expect(() => prepareReply(reply, 2)).toThrow(expect.objectContaining({ code: ResponseCode.MESSAGE_ILLEGAL }));
  });
});
