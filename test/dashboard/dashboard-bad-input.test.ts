// The embedded dashboard against bad input: without its token a request or WebSocket gets 401; a
// malformed WebSocket frame, 1,000 WebSockets at once, and a 10 MB search key each leave the broker
// serving (a send through its Remoting port and a fresh page's API call both answer). With
// dashboardPort 0 nothing listens.

import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Producer } from '../../ts/client/producer/producer.js';
import { uniqueName } from '../client/client-fixtures.js';
import { type DashboardUnderTest, startEmbeddedDashboard } from '../client/dashboard-fixtures.js';
import { freePort } from '../support/free-port.js';
import { AllInOne } from '../../ts/server/all-in-one.js';
import { Broker } from '../../ts/broker/server/broker.js';
import { defaultBrokerConfig } from '../../ts/broker/server/broker-config.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const TOKEN = 'secret-dashboard-token';
const auth = { authorization: `Bearer ${TOKEN}` };
let dashboard: DashboardUnderTest;
let producer: Producer;
const topic = uniqueName('DashBad');

beforeAll(async () => {
  dashboard = await startEmbeddedDashboard(TOKEN);
  producer = new Producer({ ...dashboard.cluster.clientOptions(), producerGroup: uniqueName('DashBadPg') });
  await producer.startup();
  const response = await fetch(`${dashboard.url}api/topics`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ topic, queueNums: 2 }),
  });
  expect(response.status).toBe(200);
}, 30_000);

afterAll(async () => {
  await producer?.shutdown();
  await dashboard?.stop();
});

/** The broker still serves: a send is stored and the dashboard's API answers. */
async function expectServing(): Promise<void> {
  const result = await producer.send({ topic, body: 'still serving' });
  expect(result.status).toBe('SEND_OK');
  const response = await fetch(`${dashboard.url}api/overview`, { headers: auth });
  expect(response.status).toBe(200);
}

function wsUrl(query = ''): string {
  return `${dashboard.url.replace('http', 'ws')}ws${query}`;
}

/** Opens a WebSocket; resolves with its first message, or rejects with the HTTP status it was refused with. */
function firstMessage(socket: WebSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once('message', (data: Buffer) => resolve(data.toString('utf8')));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.once('error', reject);
  });
}

describe('dashboard: the token', () => {
  it('answers 401 without the token and 200 with it as bearer, cookie or query', async () => {
    expect((await fetch(`${dashboard.url}api/topics`)).status).toBe(401);
    expect((await fetch(`${dashboard.url}`)).status).toBe(401);
    expect((await fetch(`${dashboard.url}api/topics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(
      401,
    );
    expect((await fetch(`${dashboard.url}api/topics`, { headers: auth })).status).toBe(200);
    const cookie = { cookie: `rmqDashboardToken=${TOKEN}` };
    expect((await fetch(`${dashboard.url}api/topics`, { headers: cookie })).status).toBe(200);
    const byQuery = await fetch(`${dashboard.url}api/topics?token=${TOKEN}`);
    expect(byQuery.status).toBe(200);
    expect(byQuery.headers.get('set-cookie')).toContain('rmqDashboardToken=');
  });

  it('refuses a WebSocket without the token with 401 and pushes snapshots with it', async () => {
    await expect(firstMessage(new WebSocket(wsUrl()))).rejects.toThrow('HTTP 401');
    const socket = new WebSocket(wsUrl(), { headers: auth });
    const message = JSON.parse(await firstMessage(socket)) as {
      type: string;
      snapshot: { topics: { topic: string }[] };
    };
    socket.close();
    expect(message.type).toBe('snapshot');
  });
});

describe('dashboard: bad input leaves the broker serving', () => {
  it('closes a socket that sends a malformed WebSocket frame', async () => {
    const port = Number(new URL(dashboard.url).port);
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    const handshake = [
      'GET /ws HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
      `Authorization: Bearer ${TOKEN}`,
      '',
      '',
    ].join('\r\n');
    socket.write(handshake);
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    // Reserved bits set, an unknown opcode, no mask: a protocol error.
    socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x01]));
    await closed;
    await expectServing();
  });

  it('serves 1,000 WebSockets at once, each getting the live snapshot', async () => {
    const sockets = Array.from({ length: 1000 }, () => new WebSocket(wsUrl(), { headers: auth }));
    try {
      const messages = await Promise.all(sockets.map(firstMessage));
      expect(messages.every((text) => text.startsWith('{"type":"snapshot"'))).toBe(true);
      await expectServing();
    } finally {
      for (const socket of sockets) socket.terminate();
    }
  }, 60_000);

  it('refuses a 10 MB search key in the URL (431) and in a body (413) and keeps serving', async () => {
    const key = 'k'.repeat(10 * 1024 * 1024);
    const inUrl = await fetch(`${dashboard.url}api/messages?topic=${topic}&key=${key}`, { headers: auth });
    expect(inUrl.status).toBe(431);
    const inBody = await fetch(`${dashboard.url}api/topics`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ topic: key }),
    }).catch((error: unknown) => error);
    // Node answers 413 and closes; fetch may see the close before it reads the answer.
    if (inBody instanceof Response) expect(inBody.status).toBe(413);
    const longKey = await fetch(`${dashboard.url}api/messages?topic=${topic}&key=${'k'.repeat(1000)}`, {
      headers: auth,
    });
    expect(longKey.status).toBe(400);
    await expectServing();
  });
});

describe('dashboard: listen address', () => {
  it('refuses to start on a non-loopback address without a token', () => {
    const broker = { dashboardPort: 18080, dashboardListenAddress: '0.0.0.0' };
    expect(() => new Broker({ ...defaultBrokerConfig(), ...broker }, createMemoryLogger())).toThrow(/dashboardToken/);
  });
});

describe('dashboard: off', () => {
  it('with dashboardPort 0 nothing listens for it', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-dashboard-off-'));
    const server = new AllInOne(
      { dataDir, registryPort: 0, brokerPort: 0, host: '127.0.0.1', broker: { dashboardPort: 0 } },
      createMemoryLogger(),
    );
    await server.start();
    try {
      expect(server.brokerServer.dashboardPort).toBeNull();
      const refused = await fetch(`http://127.0.0.1:${port}/`).then(
        () => false,
        () => true,
      );
      expect(refused).toBe(true);
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
