// The two ids of a message, client side (protocol.md §3.3): the UNIQ_KEY a producer stamps on each
// message (Java `MessageClientIDSetter`), the id users see as `messageId`, and the offset msgId
// (store host + commit log offset, Java `MessageDecoder.createMessageId`/`decodeMessageId`), which
// the broker returns and which names the record. Depends on node:net.
//
// UNIQ_KEY, big-endian, uppercase hex (32 chars with an IPv4):
//   +------+---------+----------------+----------------------------------+-------------+
//   | IP 4 | pid i16 | process i32    | ms since month start (local) i32 | counter i16 |
//   +------+---------+----------------+----------------------------------+-------------+
// Offset msgId, big-endian, uppercase hex (32 chars IPv4, 56 IPv6):
//   +-------------------+----------+---------------------+
//   | store host 4 | 16 | port i32 | commit log offset i64 |
//   +-------------------+----------+---------------------+

import { isIPv4 } from 'node:net';

const TWO_POW_32 = 0x1_0000_0000;

/** The 4 bytes of a dotted IPv4 address (Java `createFakeIP` style bytes when it is not one). */
function ipv4Bytes(ip: string, nowMs: number): Buffer {
  const bytes = Buffer.alloc(4);
  if (isIPv4(ip)) ip.split('.').forEach((part, i) => bytes.writeUInt8(Number(part), i));
  else bytes.writeUInt32BE(nowMs >>> 0);
  return bytes;
}

/**
 * Generates UNIQ_KEYs like Java `MessageClientIDSetter.createUniqID`. One per client object: the
 * counter is its state; the clock is injected.
 */
export class UniqueIdGenerator {
  private readonly prefix: string;
  private monthStartMs = 0;
  private nextMonthStartMs = 0;
  private counter = 0;

  constructor(ip: string, private readonly now: () => number = Date.now) {
    const fixed = Buffer.alloc(10);
    ipv4Bytes(ip, now()).copy(fixed, 0);
    fixed.writeUInt16BE(process.pid & 0xffff, 4);
    fixed.writeInt32BE((Math.random() * 0x7fffffff) | 0, 6);
    this.prefix = fixed.toString('hex').toUpperCase();
  }

  next(): string {
    const nowMs = this.now();
    if (nowMs >= this.nextMonthStartMs) {
      const date = new Date(nowMs);
      this.monthStartMs = new Date(date.getFullYear(), date.getMonth(), 1).getTime();
      this.nextMonthStartMs = new Date(date.getFullYear(), date.getMonth() + 1, 1).getTime();
    }
    const tail = Buffer.alloc(6);
    tail.writeInt32BE((nowMs - this.monthStartMs) | 0, 0);
    tail.writeUInt16BE(this.counter & 0xffff, 4);
    this.counter = (this.counter + 1) & 0xffff;
    return this.prefix + tail.toString('hex').toUpperCase();
  }
}

/** A decoded offset msgId: the broker that stored the record ("host:port") and its commit log offset. */
export interface OffsetMessageId {
  readonly storeHost: string;
  readonly commitLogOffset: number;
}

/** The offset msgId of a record: its store host (4 or 16 address bytes + port) and commit log offset. */
export function createOffsetMessageId(hostAddress: Uint8Array, port: number, commitLogOffset: number): string {
  const bytes = Buffer.alloc(hostAddress.length + 12);
  bytes.set(hostAddress, 0);
  bytes.writeInt32BE(port, hostAddress.length);
  bytes.writeUInt32BE(Math.floor(commitLogOffset / TWO_POW_32), hostAddress.length + 4);
  bytes.writeUInt32BE(commitLogOffset >>> 0, hostAddress.length + 8);
  return bytes.toString('hex').toUpperCase();
}

/** Decodes an offset msgId (32 or 56 hex chars); undefined when `id` is not one. */
export function decodeOffsetMessageId(id: string): OffsetMessageId | undefined {
  if ((id.length !== 32 && id.length !== 56) || !/^[0-9a-fA-F]+$/.test(id)) return undefined;
  const bytes = Buffer.from(id, 'hex');
  const addressBytes = id.length === 32 ? 4 : 16;
  const port = bytes.readInt32BE(addressBytes);
  const commitLogOffset = bytes.readUInt32BE(addressBytes + 4) * TWO_POW_32 + bytes.readUInt32BE(addressBytes + 8);
  let host: string;
  if (addressBytes === 4) host = [...bytes.subarray(0, 4)].join('.');
  else {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
    host = `[${groups.join(':')}]`;
  }
  return { storeHost: `${host}:${port}`, commitLogOffset };
}
