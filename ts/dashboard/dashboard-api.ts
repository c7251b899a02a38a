// The dashboard's JSON API: one route table from method + path to a backend call, request checks
// (names, sizes, numbers) and the mapping of failures to HTTP statuses (400 bad input, 404 unknown
// route, 500 with the backend's message). Depends on dashboard-backend.ts and node:http types.

import type { IncomingMessage } from 'node:http';
import type { DashboardBackend, MessageSearch, MessageView } from './dashboard-backend.js';
import { MAX_REQUEST_BODY_BYTES, MAX_SEARCH_KEY_CHARS } from './dashboard-limits.js';
import type { LiveSampler } from './live-sampler.js';

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

/** A request the API refuses (400, or 413 for a too large body) before any backend call. */
export class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Topic and group names as RocketMQ allows them (TopicValidator's pattern, at most 127 characters). */
const NAME_PATTERN = /^[%|a-zA-Z0-9_-]{1,127}$/;

function name(value: unknown, what: string): string {
  if (typeof value !== 'string' || !NAME_PATTERN.test(value)) throw new BadRequest(`${what} is not a valid name`);
  return value;
}

function searchText(value: string | null, what: string): string | undefined {
  if (value === null || value === '') return undefined;
  if (value.length > MAX_SEARCH_KEY_CHARS) throw new BadRequest(`${what} is longer than ${MAX_SEARCH_KEY_CHARS}`);
  return value;
}

function timeMs(value: string | null, what: string): number | undefined {
  if (value === null || value === '') return undefined;
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) throw new BadRequest(`${what} is not a time in ms`);
  return number;
}

/** The JSON body of a POST, at most MAX_REQUEST_BODY_BYTES. */
export async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let sizeBytes = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    sizeBytes += chunk.length;
    if (sizeBytes > MAX_REQUEST_BODY_BYTES) throw new BadRequest('request body too large', 413);
    chunks.push(chunk);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new BadRequest(`the body is not JSON: ${error.message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadRequest('the body is not a JSON object');
  }
  return parsed as Record<string, unknown>;
}

export class DashboardApi {
  constructor(
    private readonly backend: DashboardBackend,
    private readonly sampler: LiveSampler,
  ) {}

  /** Answers one API call; `path` is below /api. */
  async handle(method: string, url: URL, body: () => Promise<Record<string, unknown>>): Promise<ApiResponse> {
    const path = url.pathname.slice('/api'.length);
    const groupMatch = /^\/groups\/([^/]+)(\/reset)?$/.exec(path);
    const topicMatch = /^\/topics\/([^/]+)$/.exec(path);
    if (method === 'GET' && path === '/overview') return this.ok(this.overview());
    if (method === 'GET' && path === '/topics') return this.ok(await this.backend.topics());
    if (method === 'POST' && path === '/topics') return this.ok(await this.createTopic(await body()));
    if (method === 'DELETE' && topicMatch !== null) {
      return this.ok(await this.backend.deleteTopic(name(decodeURIComponent(topicMatch[1] ?? ''), 'topic')));
    }
    if (method === 'GET' && path === '/groups') return this.ok(await this.backend.groups());
    if (method === 'GET' && groupMatch !== null && groupMatch[2] === undefined) {
      return this.ok(await this.backend.group(name(decodeURIComponent(groupMatch[1] ?? ''), 'group')));
    }
    if (method === 'POST' && groupMatch?.[2] !== undefined) {
      return this.ok(await this.resetOffset(name(decodeURIComponent(groupMatch[1] ?? ''), 'group'), await body()));
    }
    if (method === 'GET' && path === '/messages') return this.ok(await this.searchMessages(url.searchParams));
    if (method === 'GET' && path === '/producers') return this.ok(await this.backend.producers());
    return { status: 404, body: { error: `no route ${method} ${url.pathname}` } };
  }

  private ok(body: unknown): ApiResponse {
    return { status: 200, body: body ?? { ok: true } };
  }

  /** The mode and the live history, so a page opened now draws the last minutes at once. */
  private overview(): unknown {
    return { mode: this.backend.mode, history: this.sampler.snapshots() };
  }

  private async createTopic(body: Record<string, unknown>): Promise<unknown> {
    const topic = name(body['topic'], 'topic');
    const queueNums = body['queueNums'] ?? 4;
    if (typeof queueNums !== 'number' || !Number.isInteger(queueNums) || queueNums < 1 || queueNums > 1024) {
      throw new BadRequest('queueNums is 1..1024');
    }
    await this.backend.createTopic(topic, queueNums);
    await this.sampler.sample();
    return { ok: true, topic };
  }

  private async resetOffset(group: string, body: Record<string, unknown>): Promise<unknown> {
    const topic = name(body['topic'], 'topic');
    const timestampMs = body['timestampMs'];
    if (typeof timestampMs !== 'number' || !Number.isSafeInteger(timestampMs)) {
      throw new BadRequest('timestampMs is a time in ms');
    }
    await this.backend.resetOffset(group, topic, timestampMs);
    return { ok: true };
  }

  /** Search results, each with its delivery to every group of the topic. */
  private async searchMessages(params: URLSearchParams): Promise<unknown> {
    const search: MessageSearch = {
      topic: name(params.get('topic'), 'topic'),
      key: searchText(params.get('key'), 'key'),
      msgId: searchText(params.get('msgId'), 'msgId'),
      beginMs: timeMs(params.get('beginMs'), 'beginMs'),
      endMs: timeMs(params.get('endMs'), 'endMs'),
    };
    const messages = await this.backend.searchMessages(search);
    return Promise.all(
      messages.map(async (message: MessageView) => ({
        ...message,
        deliveries: await this.backend.deliveries(message),
      })),
    );
  }
}
