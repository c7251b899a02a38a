// The embedded dashboard's JSON API over HTTP: messages found by client msgId, offset msgId and
// time range with their properties and body; producers with their connections; topic deletion; and
// the refusals (bad JSON, bad names, unknown routes) answered before any backend call.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Producer } from '../../ts/client/producer/producer.js';
import type { SendReceipt } from '../../ts/client/producer/send-request.js';
import { AdminBackend } from '../../ts/dashboard/admin-backend.js';
import { uniqueName } from '../client/client-fixtures.js';
import { type DashboardUnderTest, startEmbeddedDashboard } from '../client/dashboard-fixtures.js';

let dashboard: DashboardUnderTest;
let producer: Producer;
const topic = uniqueName('DashApi');
const producerGroup = uniqueName('DashApiPg');
const receipts: SendReceipt[] = [];
let sentAtMs = 0;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const init: RequestInit = { method };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${dashboard.url}api${path}`, init);
  return { status: response.status, json: await response.json() };
}

interface FoundMessage {
  msgId: string;
  offsetMsgId: string;
  queueOffset: number;
  properties: Record<string, string>;
  body: string;
}

beforeAll(async () => {
  dashboard = await startEmbeddedDashboard();
  expect((await call('POST', '/topics', { topic, queueNums: 1 })).status).toBe(200);
  producer = new Producer({ ...dashboard.cluster.clientOptions(), producerGroup });
  await producer.startup();
  sentAtMs = Date.now() - 1000;
  for (let i = 0; i < 3; i++) receipts.push(await producer.send({ topic, body: `body-${i}`, tag: 'TagA' }));
}, 30_000);

afterAll(async () => {
  await producer?.shutdown();
  await dashboard?.stop();
});

describe('dashboard API: messages', () => {
  it('finds a message by its client msgId and by its offset msgId', async () => {
    const receipt = receipts[1];
    const byId = await call('GET', `/messages?topic=${topic}&msgId=${receipt?.messageId}`);
    expect(byId.status).toBe(200);
    const [found] = byId.json as FoundMessage[];
    expect(found?.msgId).toBe(receipt?.messageId);
    expect(Buffer.from(found?.body ?? '', 'base64').toString()).toBe('body-1');
    expect(found?.properties['TAGS']).toBe('TagA');
    const byOffset = await call('GET', `/messages?topic=${topic}&msgId=${receipt?.offsetMsgId}`);
    expect((byOffset.json as FoundMessage[]).map((m) => m.offsetMsgId)).toEqual([receipt?.offsetMsgId]);
    const none = await call('GET', `/messages?topic=${topic}&msgId=not-an-id`);
    expect(none.json).toEqual([]);
  });

  it('finds messages by topic and time range, newest first', async () => {
    const found = await call('GET', `/messages?topic=${topic}&beginMs=${sentAtMs}&endMs=${Date.now() + 1000}`);
    expect((found.json as FoundMessage[]).map((m) => m.queueOffset)).toEqual([2, 1, 0]);
    const before = await call('GET', `/messages?topic=${topic}&beginMs=0&endMs=${sentAtMs - 60_000}`);
    expect(before.json).toEqual([]);
  });
});

describe('dashboard: the standalone backend against this broker', () => {
  it('finds the same messages by time, by client msgId and by offset msgId over the Admin SDK', async () => {
    const backend = new AdminBackend(dashboard.cluster.clientOptions());
    await backend.start();
    try {
      const byTime = await backend.searchMessages({ topic, beginMs: sentAtMs });
      expect(byTime.map((m) => m.queueOffset)).toEqual([2, 1, 0]);
      const receipt = receipts[2];
      const byId = await backend.searchMessages({ topic, msgId: receipt?.messageId });
      expect(byId.map((m) => m.offsetMsgId)).toEqual([receipt?.offsetMsgId]);
      const byOffset = await backend.searchMessages({ topic, msgId: receipt?.offsetMsgId });
      expect(byOffset.map((m) => Buffer.from(m.body, 'base64').toString())).toEqual(['body-2']);
    } finally {
      await backend.close();
    }
  });
});

describe('dashboard API: producers and topics', () => {
  it('lists the producer group with its connection', async () => {
    const { json } = await call('GET', '/producers');
    const group = (json as { group: string; connections: unknown[] }[]).find((p) => p.group === producerGroup);
    expect(group?.connections).toHaveLength(1);
  });

  it('deletes a topic', async () => {
    const doomed = uniqueName('DashDoomed');
    expect((await call('POST', '/topics', { topic: doomed })).status).toBe(200);
    expect(((await call('GET', '/topics')).json as { topic: string }[]).map((t) => t.topic)).toContain(doomed);
    expect((await call('DELETE', `/topics/${doomed}`)).status).toBe(200);
    expect(((await call('GET', '/topics')).json as { topic: string }[]).map((t) => t.topic)).not.toContain(doomed);
  });
});

describe('dashboard API: refusals', () => {
  it('answers 400 for bad JSON, bad names and bad numbers, 404 for unknown routes', async () => {
    expect((await call('POST', '/topics', '{not json')).status).toBe(400);
    expect((await call('POST', '/topics', '[1]')).status).toBe(400);
    expect((await call('POST', '/topics', { topic: 'bad topic!' })).status).toBe(400);
    expect((await call('POST', '/topics', { topic: 'Ok', queueNums: 0 })).status).toBe(400);
    expect((await call('GET', '/messages?topic=../etc')).status).toBe(400);
    expect((await call('GET', `/messages?topic=${topic}&beginMs=-5`)).status).toBe(400);
    expect((await call('POST', `/groups/g/reset`, { topic, timestampMs: 'soon' })).status).toBe(400);
    expect((await call('GET', '/nothing')).status).toBe(404);
    expect((await fetch(`${dashboard.url}../../etc/passwd`)).status).toBe(404);
  });
});
