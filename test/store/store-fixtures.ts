// Shared fixtures for the store suites: the golden message of docs/store-format.md §2.9, hex helpers, and
// stores opened in fresh temp dirs that are removed after each test.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { socketAddress } from '../../ts/common/socket-address.js';
import type { StoreMessage } from '../../ts/store/message-store-api.js';
import { type MessageStoreOptions, NativeMessageStore } from '../../ts/store/native-message-store.js';

export const GOLDEN_PROPERTIES = 'KEYS\x01K1 K2\x02UNIQ_KEY\x017F000001000100000000000000000000\x02TAGS\x01TagA\x02';
/**
 * The same properties with a 20-byte `__CRC32#` tail: a 188-byte record, as in docs/store-format.md
 * §2.9's roll-over.
 */
export const GOLDEN_PROPERTIES_188 = `${GOLDEN_PROPERTIES}__CRC32#\x016056000791\x02`;

/** The golden record (first in the log) with STORETIMESTAMP (bytes 56..63) left as the store wrote it. */
export const GOLDEN_RECORD_HEX = [
  '000000a8 daa320a7 3610a686 00000001 00000000',
  '0000000000000000 0000000000000000 00000000',
  '0000018bcfe56800 7f000001 0000c350',
  '000001a20d5e1d4d 7f000002 00002a9f',
  '00000000 0000000000000000 00000005 68656c6c6f',
  '09 546f70696354657374 003f',
].join(' ');

export function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

/** The golden record's bytes: the hex above followed by the property string. */
export function goldenRecordBytes(): Buffer {
  return Buffer.concat([hex(GOLDEN_RECORD_HEX), Buffer.from(GOLDEN_PROPERTIES, 'utf8')]);
}

export const BORN_HOST = socketAddress('127.0.0.1', 50000);
export const STORE_HOST = socketAddress('127.0.0.2', 10911);

export function goldenMessage(overrides: Partial<StoreMessage> = {}): StoreMessage {
  return {
    topic: 'TopicTest',
    queueId: 1,
    body: Buffer.from('hello'),
    properties: GOLDEN_PROPERTIES,
    bornTimestamp: 1_700_000_000_000,
    bornHost: BORN_HOST,
    storeHost: STORE_HOST,
    ...overrides,
  };
}

const openDirs: string[] = [];
const openStores: NativeMessageStore[] = [];

/** A fresh empty folder under the OS temp dir, removed after the current test. */
export function freshStoreDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-store-'));
  openDirs.push(dir);
  return dir;
}

/** Opens a store (in a fresh temp dir unless `storePath` is given); closed after the current test. */
export function openStore(options: Partial<MessageStoreOptions> = {}): NativeMessageStore {
  // Small index files: RocketMQ's default reserves 420 MB per store.
  const store = NativeMessageStore.open({
    storePath: options.storePath ?? freshStoreDir(),
    maxHashSlotNum: 1024,
    maxIndexNum: 4096,
    ...options,
  });
  openStores.push(store);
  return store;
}

afterEach(() => {
  for (const store of openStores.splice(0)) store.close();
  for (const dir of openDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** `[physicalOffset, queueOffset]` pairs of an append result, as plain tuples. */
export function placements(offsets: Float64Array): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i + 1 < offsets.length; i += 2) pairs.push([offsets[i] as number, offsets[i + 1] as number]);
  return pairs;
}
