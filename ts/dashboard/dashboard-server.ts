// DashboardServer: the dashboard's HTTP listener (Node's http) — the built front end from
// dist/dashboard/web/, the JSON API (dashboard-api.ts), the token check (bearer, cookie or ?token=;
// 401 without) — and the WebSocket hub (`ws`) that pushes each live snapshot to every open page.
// A Component: started and stopped by the broker's or the standalone command's Lifecycle.
// Depends on node:http, ws, the Scheduler and the dashboard files (docs/dashboard.md).

import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Component } from '../common/lifecycle.js';
import type { Logger } from '../common/logger.js';
import type { Scheduler } from '../common/scheduler.js';
import { BadRequest, DashboardApi, readJsonBody } from './dashboard-api.js';
import type { DashboardBackend } from './dashboard-backend.js';
import { MAX_URL_BYTES, MAX_WS_BUFFERED_BYTES, MAX_WS_CLIENTS, MAX_WS_FRAME_BYTES } from './dashboard-limits.js';
import { LiveSampler, type LiveSnapshot } from './live-sampler.js';

export interface DashboardSettings {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host: string;
  /** "" : no token asked. */
  readonly token: string;
  /** Where the built front end is (default: dist/dashboard/web of this package). */
  readonly webDir?: URL;
}

const TOKEN_COOKIE = 'rmqDashboardToken';
/** ts/dashboard/ and dist/dashboard/ both sit two levels below the package root. */
const DEFAULT_WEB_DIR = new URL('../../dist/dashboard/web/', import.meta.url);
const STATIC_FILES: Readonly<Record<string, string>> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app.js': 'app.js',
  '/app.css': 'app.css',
};
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token a request carries: `Authorization: Bearer`, the cookie, or `?token=`. */
function tokenOf(request: IncomingMessage, url: URL): string | null {
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ') === true) return auth.slice('Bearer '.length);
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, value] = part.trim().split('=');
    if (key === TOKEN_COOKIE && value !== undefined) return decodeURIComponent(value);
  }
  return url.searchParams.get('token');
}

export class DashboardServer implements Component {
  readonly name = 'dashboard';
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly sampler: LiveSampler;
  private readonly api: DashboardApi;
  private readonly files = new Map<string, Buffer>();

  constructor(
    private readonly backend: DashboardBackend,
    private readonly settings: DashboardSettings,
    scheduler: Scheduler,
    private readonly logger: Logger,
  ) {
    this.sampler = new LiveSampler(backend, scheduler, logger, (snapshot) => this.broadcast(snapshot));
    this.api = new DashboardApi(backend, this.sampler);
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_FRAME_BYTES, perMessageDeflate: false });
    this.http = createServer({ maxHeaderSize: MAX_URL_BYTES }, (request, response) => {
      void this.onRequest(request, response);
    });
    this.http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.onUpgrade(request, socket, head);
    });
  }

  get port(): number {
    return (this.http.address() as AddressInfo | null)?.port ?? 0;
  }

  /** Open WebSocket connections (pages listening). */
  get clientCount(): number {
    return this.wss.clients.size;
  }

  async start(): Promise<void> {
    this.loadFiles();
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.settings.port, this.settings.host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    this.sampler.start();
    this.logger.info('dashboard listening', { host: this.settings.host, port: this.port });
  }

  async stop(): Promise<void> {
    this.sampler.stop();
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
    await this.backend.close();
  }

  /** The built front end, read once; missing files are answered 503 with how to build them. */
  private loadFiles(): void {
    const dir = this.settings.webDir ?? DEFAULT_WEB_DIR;
    for (const file of new Set(Object.values(STATIC_FILES))) {
      try {
        this.files.set(file, readFileSync(new URL(file, dir)));
      } catch (error) {
        this.logger.warn('dashboard front end not built (npm run build:dashboard)', { file, error: String(error) });
      }
    }
  }

  private authorized(request: IncomingMessage, url: URL): boolean {
    if (this.settings.token === '') return true;
    const given = tokenOf(request, url);
    return given !== null && sameSecret(given, this.settings.token);
  }

  private async onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://dashboard');
    if (!this.authorized(request, url)) return this.send(response, 401, { error: 'dashboard token required' });
    if (url.searchParams.has('token')) this.setTokenCookie(response);
    try {
      if (url.pathname.startsWith('/api/')) {
        const answer = await this.api.handle(request.method ?? 'GET', url, () => readJsonBody(request));
        return this.send(response, answer.status, answer.body);
      }
      this.sendFile(response, url.pathname);
    } catch (error) {
      const status = error instanceof BadRequest ? error.status : 500;
      this.send(response, status, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** A page opened with ?token= keeps it as a cookie for its API calls and WebSocket. */
  private setTokenCookie(response: ServerResponse): void {
    const value = encodeURIComponent(this.settings.token);
    response.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/`);
  }

  private send(response: ServerResponse, status: number, body: unknown): void {
    const json = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(json);
  }

  private sendFile(response: ServerResponse, pathname: string): void {
    const file = STATIC_FILES[pathname];
    if (file === undefined) return this.send(response, 404, { error: 'not found' });
    const content = this.files.get(file);
    if (content === undefined) return this.send(response, 503, { error: 'front end not built: npm run build' });
    const type = CONTENT_TYPES[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
    response.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' });
    response.end(content);
  }

  private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://dashboard');
    if (url.pathname !== '/ws' || !this.authorized(request, url)) {
      const status = url.pathname !== '/ws' ? '404 Not Found' : '401 Unauthorized';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    socket.on('error', () => socket.destroy());
    this.wss.handleUpgrade(request, socket, head, (client) => this.onClient(client));
  }

  private onClient(client: WebSocket): void {
    // A protocol error (a malformed or oversized frame) closes that socket only.
    client.on('error', () => client.terminate());
    // Pages only listen: whatever they send is ignored.
    client.on('message', () => undefined);
    if (this.wss.clients.size > MAX_WS_CLIENTS) {
      client.close(1013, 'too many dashboard connections');
      return;
    }
    const last = this.sampler.snapshots().at(-1);
    if (last !== undefined) client.send(JSON.stringify({ type: 'snapshot', snapshot: last }));
  }

  /** One JSON text for every page; a page that does not read its socket is skipped until it does. */
  private broadcast(snapshot: LiveSnapshot): void {
    if (this.wss.clients.size === 0) return;
    const text = JSON.stringify({ type: 'snapshot', snapshot });
    for (const client of this.wss.clients) {
      if (client.readyState === client.OPEN && client.bufferedAmount < MAX_WS_BUFFERED_BYTES) client.send(text);
    }
  }
}
