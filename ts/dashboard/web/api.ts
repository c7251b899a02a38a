// The page's link to the dashboard server: JSON calls to /api (the token travels as the cookie the
// server set) and the WebSocket at /ws that delivers one live snapshot a second, reconnecting after
// a drop. The shapes mirror ts/dashboard/live-sampler.ts and dashboard-backend.ts. Depends on the DOM.

export interface LiveBroker {
  cluster: string;
  brokerName: string;
  brokerId: number;
  address: string;
  role: string;
  version: string;
  tpsIn: number;
  tpsOut: number;
}

export interface LiveTopic {
  topic: string;
  system: boolean;
  queueCount: number;
  messageCount: number;
  tps: number;
}

export interface LiveSnapshot {
  atMs: number;
  brokers: LiveBroker[];
  topics: LiveTopic[];
  groupLags: Record<string, number>;
}

export interface QueueView {
  brokerName: string;
  queueId: number;
  minOffset: number;
  maxOffset: number;
}

export interface TopicView {
  topic: string;
  system: boolean;
  queues: QueueView[];
  messageCount: number;
}

export interface ConnectionView {
  clientId: string;
  clientAddr: string;
  language: string;
  version: number;
}

export interface GroupView {
  group: string;
  connections: ConnectionView[];
  messageModel: string;
  subscriptions: string[];
  queues: {
    topic: string;
    brokerName: string;
    queueId: number;
    brokerOffset: number;
    consumerOffset: number;
    lag: number;
  }[];
  lag: number;
}

export interface MessageView {
  msgId: string;
  offsetMsgId: string;
  topic: string;
  brokerName: string;
  queueId: number;
  queueOffset: number;
  storeTimestamp: number;
  bornTimestamp: number;
  bornHost: string;
  reconsumeTimes: number;
  properties: Record<string, string>;
  bodySizeBytes: number;
  body: string;
  deliveries: { group: string; consumerOffset: number; consumed: boolean }[];
}

export interface ProducerView {
  group: string;
  connections: ConnectionView[];
}

/** One API call; a non-2xx answer throws its `error` text. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin' };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const response = await fetch(`api${path}`, init);
  const json = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(json.error ?? `HTTP ${response.status}`);
  return json;
}

/** Calls `onSnapshot` for every pushed snapshot and `onState` when the link opens or drops. */
export function connectLive(onSnapshot: (snapshot: LiveSnapshot) => void, onState: (open: boolean) => void): void {
  const url = new URL('ws', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url);
  socket.onopen = () => onState(true);
  socket.onmessage = (event: MessageEvent<string>) => {
    const message = JSON.parse(event.data) as { type: string; snapshot: LiveSnapshot };
    if (message.type === 'snapshot') onSnapshot(message.snapshot);
  };
  socket.onclose = () => {
    onState(false);
    window.setTimeout(() => connectLive(onSnapshot, onState), 2000);
  };
}
