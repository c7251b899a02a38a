// Shared helpers of the admin suites: a reader of fastjson bodies whose maps may have object keys
// (`{{"brokerName":…}:5}`; such maps become arrays of [key, value]), and a fake consumer client
// that heartbeats into a group and records the requests the broker sends it.

import type { RemotingClient } from '../../../ts/remoting/remoting-client.js';
import { RequestCode } from '../../../ts/remoting/codes.js';
import { createRequest, createResponse, type RemotingCommand } from '../../../ts/remoting/remoting-command.js';

/** Parses JSON in fastjson's dialect: bare integer keys and object keys (object-keyed maps → entry arrays). */
export function parseFastJsonBody(text: string): unknown {
  let at = 0;
  const skip = (): void => {
    while (/\s/.test(text[at] ?? '')) at++;
  };
  const value = (): unknown => {
    skip();
    const ch = text[at];
    if (ch === '{') return object();
    if (ch === '[') {
      at++;
      const items: unknown[] = [];
      skip();
      if (text[at] === ']') return (at++, items);
      for (;;) {
        items.push(value());
        skip();
        if (text[at++] === ']') return items;
      }
    }
    const match = /^("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(text.slice(at));
    if (match === null) throw new Error(`bad JSON at ${at}: ${text.slice(at, at + 20)}`);
    at += match[0].length;
    return JSON.parse(match[0]) as unknown;
  };
  const object = (): unknown => {
    at++;
    const plain: Record<string, unknown> = {};
    const keyed: Array<[unknown, unknown]> = [];
    skip();
    if (text[at] === '}') return (at++, plain);
    for (;;) {
      skip();
      const key =
        text[at] === '{'
          ? object()
          : /^-?\d+/.test(text.slice(at))
            ? Number(/^-?\d+/.exec(text.slice(at))?.[0])
            : value();
      if (typeof key === 'number') at += String(key).length;
      skip();
      at++; // ':'
      const entry = value();
      if (typeof key === 'object' && key !== null) keyed.push([key, entry]);
      else plain[String(key)] = entry;
      skip();
      if (text[at++] === '}') return keyed.length > 0 ? keyed : plain;
    }
  };
  return value();
}

export function bodyOf(reply: RemotingCommand): unknown {
  return parseFastJsonBody(reply.body?.toString('utf8') ?? 'null');
}

/** A consumer client of `group` subscribed to `topics`, answering GET_CONSUMER_RUNNING_INFO. */
export async function fakeConsumer(
  remoting: RemotingClient,
  address: string,
  group: string,
  topics: string[],
  clientId = '127.0.0.1@fake',
): Promise<RemotingCommand[]> {
  const received: RemotingCommand[] = [];
  remoting.registerProcessor(
    [RequestCode.RESET_CONSUMER_CLIENT_OFFSET, RequestCode.GET_CONSUMER_RUNNING_INFO],
    (request) => {
      received.push(request);
      if (request.code === RequestCode.GET_CONSUMER_RUNNING_INFO) {
        return createResponse(
          request,
          0,
          null,
          { answeredBy: clientId },
          Buffer.from('{"properties":{},"mqTable":{}}'),
        );
      }
      return null;
    },
  );
  const heartbeat = {
    clientID: clientId,
    producerDataSet: [],
    consumerDataSet: [
      {
        groupName: group,
        consumeType: 'CONSUME_PASSIVELY',
        messageModel: 'CLUSTERING',
        consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
        subscriptionDataSet: topics.map((topic) => ({
          classFilterMode: false,
          topic,
          subString: '*',
          tagsSet: [],
          codeSet: [],
          subVersion: 1,
          expressionType: 'TAG',
        })),
        unitMode: false,
      },
    ],
  };
  const reply = await remoting.invoke(address, {
    ...createRequest(RequestCode.HEART_BEAT, {}, Buffer.from(JSON.stringify(heartbeat))),
    version: 513,
  });
  if (reply.code !== 0) throw new Error(`heartbeat refused: ${reply.code} ${reply.remark}`);
  return received;
}

/** Polls `condition` every 10 ms until it holds or `timeoutMs` passes. */
export async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
