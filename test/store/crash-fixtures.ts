// Messages of the SIGKILL test, shared by the writer child and the checking parent: the body of
// sequence n is derived from n, so every record can be checked byte for byte after recovery.

import { socketAddress } from '../../ts/common/socket-address.js';
import type { StoreMessage } from '../../ts/store/message-store-api.js';

export const CRASH_TOPIC = 'CrashTopic';

export function crashBody(sequence: number): Buffer {
  const body = Buffer.alloc(100 + (sequence % 900));
  for (let i = 0; i < body.length; i += 1) body[i] = (sequence * 31 + i) & 0xff;
  return body;
}

export function crashMessage(sequence: number, body: Buffer): StoreMessage {
  return {
    topic: CRASH_TOPIC,
    queueId: 0,
    body,
    properties: `KEYS\x01seq-${sequence}\x02TAGS\x01TagA\x02`,
    bornTimestamp: Date.now(),
    bornHost: socketAddress('127.0.0.1', 50000),
    storeHost: socketAddress('127.0.0.1', 10911),
  };
}
