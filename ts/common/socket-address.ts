// A host as RocketMQ writes it into records and message ids: 4 (IPv4) or 16 (IPv6) address bytes
// plus a port. Parsed once from text (a socket's remoteAddress) so the hot path only copies bytes.
// Depends on node:net for validation.

import { isIPv4, isIPv6 } from 'node:net';

export interface SocketAddress {
  /** 4 bytes (IPv4) or 16 bytes (IPv6), network order. */
  readonly address: Uint8Array;
  readonly port: number;
}

/**
 * Parses `host` (dotted IPv4 or IPv6 text, as `net.Socket.remoteAddress` gives it) and a port.
 * An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) becomes IPv4, as Java's InetAddress does.
 */
export function socketAddress(host: string, port: number): SocketAddress {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port ${port} is not in [0, 65535]`);
  if (isIPv4(host)) return { address: parseIpv4(host), port };
  if (!isIPv6(host)) throw new RangeError(`${JSON.stringify(host)} is not an IP address`);
  const bytes = parseIpv6(host);
  if (isIpv4Mapped(bytes)) return { address: bytes.slice(12), port };
  return { address: bytes, port };
}

/** Recently parsed `host:port` texts: a broker sees few distinct peers and parses one per request. */
const parsedAddresses = new Map<string, SocketAddress>();
const PARSED_ADDRESSES_MAX = 4096;

/** The last text parsed and its result: consecutive requests mostly come from one connection. */
let lastText = '';
let lastParsed: SocketAddress | undefined;

/** Parses `host:port` or `[ipv6]:port` (memoised; the result is shared, do not mutate it). */
export function parseSocketAddress(text: string): SocketAddress {
  if (text === lastText && lastParsed !== undefined) return lastParsed;
  const parsed = parseSocketAddressCached(text);
  lastText = text;
  lastParsed = parsed;
  return parsed;
}

function parseSocketAddressCached(text: string): SocketAddress {
  const cached = parsedAddresses.get(text);
  if (cached !== undefined) return cached;
  const parsed = parseSocketAddressText(text);
  if (parsedAddresses.size >= PARSED_ADDRESSES_MAX) parsedAddresses.clear();
  parsedAddresses.set(text, parsed);
  return parsed;
}

function parseSocketAddressText(text: string): SocketAddress {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) throw new RangeError(`${JSON.stringify(text)} is not host:port`);
  let host = text.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return socketAddress(host, Number(text.slice(colon + 1)));
}

/** `a.b.c.d:port` or `[v6]:port` (RocketMQ's `bornHost` text form). */
export function formatSocketAddress(socket: SocketAddress): string {
  const a = socket.address;
  if (a.length === 4) return `${a[0]}.${a[1]}.${a[2]}.${a[3]}:${socket.port}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((a[i] ?? 0) << 8) | (a[i + 1] ?? 0)).toString(16));
  return `[${groups.join(':')}]:${socket.port}`;
}

function parseIpv4(host: string): Uint8Array {
  return Uint8Array.from(host.split('.'), (part) => Number(part));
}

function parseIpv6(host: string): Uint8Array {
  let text = host;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const bytes = new Uint8Array(16);
  // A trailing dotted IPv4 part fills the last 4 bytes; the rest is hex groups.
  let groupBytes = 16;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    bytes.set(parseIpv4(tail), 12);
    groupBytes = 12;
    // Keep a '::' that ends right before the IPv4 part ("::1.2.3.4"), drop a single ':'.
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const [headText = '', rest] = text.split('::');
  const head = headText === '' ? [] : headText.split(':');
  const tailGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups = [
    ...head,
    ...new Array<string>(groupBytes / 2 - head.length - tailGroups.length).fill('0'),
    ...tailGroups,
  ];
  groups.forEach((group, i) => {
    const value = parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  return bytes;
}

function isIpv4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}
