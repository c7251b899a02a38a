// RemotingCommand: the one value every request and response travels as, plus its flag helpers and
// the constructors for requests (per-process opaque counter) and responses (JSON, JAVA, version 479).
// Depends on codes.ts.

import { CURRENT_VERSION, type LanguageName } from './codes.js';

/** The header encoding on the wire: 0 JSON, 1 ROCKETMQ (binary) (§1.1). */
export type SerializeType = 'JSON' | 'ROCKETMQ';

export interface RemotingCommand {
  /** The request code, or the response code. */
  readonly code: number;
  readonly language: LanguageName;
  /** The sender's MQVersion ordinal. */
  readonly version: number;
  /** Request id echoed back by the response; a signed int32. */
  readonly opaque: number;
  /** bit0 = response, bit1 = oneway request. */
  readonly flag: number;
  readonly remark: string | null;
  /** The custom header; values are always strings (§1.4). */
  readonly extFields: Readonly<Record<string, string>>;
  readonly body: Buffer | null;
  readonly serializeType: SerializeType;
}

export const RESPONSE_FLAG = 0b01;
export const ONEWAY_FLAG = 0b10;

export function isResponse(command: RemotingCommand): boolean {
  return (command.flag & RESPONSE_FLAG) !== 0;
}

export function isOneway(command: RemotingCommand): boolean {
  return (command.flag & ONEWAY_FLAG) !== 0;
}

/** The same command marked as a oneway request (no reply expected). */
export function asOneway(command: RemotingCommand): RemotingCommand {
  return { ...command, flag: command.flag | ONEWAY_FLAG };
}

/** Java's `RemotingCommand.requestId` is a static AtomicInteger: one counter per process, wrapping. */
let lastOpaque = 0;

/** The next opaque after `opaque`, wrapping from 2^31-1 to -2^31 as a Java int does. */
export function nextOpaqueAfter(opaque: number): number {
  return (opaque + 1) | 0;
}

/** Allocates the next request id of this process. */
export function nextOpaque(): number {
  lastOpaque = nextOpaqueAfter(lastOpaque);
  return lastOpaque;
}

/** A request (flag 0) with a fresh opaque, sent as JAVA with our version, JSON header. */
export function createRequest(
  code: number,
  extFields: Record<string, string> = {},
  body: Buffer | null = null,
): RemotingCommand {
  return {
    code,
    language: 'JAVA',
    version: CURRENT_VERSION,
    opaque: nextOpaque(),
    flag: 0,
    remark: null,
    extFields,
    body,
    serializeType: 'JSON',
  };
}

/**
 * The response to `request`: same opaque, flag 1, language JAVA, version 479, JSON header (we always
 * answer in JSON, §1.4).
 */
export function createResponse(
  request: Pick<RemotingCommand, 'opaque'>,
  code: number,
  remark: string | null = null,
  extFields: Record<string, string> = {},
  body: Buffer | null = null,
): RemotingCommand {
  return {
    code,
    language: 'JAVA',
    version: CURRENT_VERSION,
    opaque: request.opaque,
    flag: RESPONSE_FLAG,
    remark,
    extFields,
    body,
    serializeType: 'JSON',
  };
}
