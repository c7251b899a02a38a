// One Remoting frame ⇄ one RemotingCommand (docs/remoting-protocol.md §1.1). Frames are encoded as a head part
// and the untouched body so a batched write sends the body without copying it. Depends on the two
// header codecs, front-door-limits.ts, remoting-command.ts, remoting-error.ts.
//
// | offset | size      | field                                               |
// |--------|-----------|-----------------------------------------------------|
// | 0      | 4         | length = 4 + headerLen + bodyLen (not counting itself) |
// | 4      | 1         | serialize type: 0 JSON, 1 ROCKETMQ                  |
// | 5      | 3         | headerLen (24 bit)                                  |
// | 8      | headerLen | header                                              |
// | …      | rest      | body                                                |

import { decodeBinaryHeader, encodeBinaryHeader } from './binary-header-codec.js';
import { DEFAULT_HEADER_LIMITS, type HeaderLimits } from './front-door-limits.js';
import { decodeJsonHeader, jsonHeaderText, writePlainJsonHeader } from './json-header-codec.js';
import type { RemotingCommand, SerializeType } from './remoting-command.js';
import { RemotingError, RemotingErrorCode } from './remoting-error.js';

/** Bytes before the header: the length field, the serialize type and the header length. */
export const FRAME_PREFIX_SIZE_BYTES = 8;
/** The length field itself. */
export const FRAME_LENGTH_FIELD_SIZE_BYTES = 4;
/** Java's default `com.rocketmq.remoting.frameMaxLength`: the whole frame, length field included. */
export const DEFAULT_MAX_FRAME_SIZE_BYTES = 16 * 1024 * 1024;
const MAX_HEADER_SIZE_BYTES = 0xff_ffff;
const MAX_LENGTH_FIELD = 0x7fff_ffff;

/**
 * The frame as [prefix + header, body?]: written together (writev), they are the frame.
 * Throws a RemotingError when the header does not fit its field or the frame is over 2 GiB.
 */
export function encodeFrameParts(command: RemotingCommand): Buffer[] {
  const bodySizeBytes = command.body?.length ?? 0;
  let head: Buffer;
  if (command.serializeType === 'JSON') {
    // The header goes straight into the frame's head: as bytes when it is plain ASCII, else as text.
    const plain = writePlainJsonHeader(
      command,
      (sizeBytes) => allocateHead(sizeBytes, bodySizeBytes, 0),
      FRAME_PREFIX_SIZE_BYTES,
    );
    if (plain !== null) {
      head = plain;
    } else {
      const text = jsonHeaderText(command);
      head = allocateHead(Buffer.byteLength(text, 'utf8'), bodySizeBytes, 0);
      head.write(text, FRAME_PREFIX_SIZE_BYTES, 'utf8');
    }
  } else {
    const header = encodeBinaryHeader(command);
    head = allocateHead(header.length, bodySizeBytes, 1);
    header.copy(head, FRAME_PREFIX_SIZE_BYTES);
  }
  return command.body !== null && bodySizeBytes > 0 ? [head, command.body] : [head];
}

/** The frame's prefix (length, serialize type, header length) in a buffer with room for the header. */
function allocateHead(headerSizeBytes: number, bodySizeBytes: number, serializeTypeByte: number): Buffer {
  if (headerSizeBytes > MAX_HEADER_SIZE_BYTES) {
    throw new RemotingError(
      RemotingErrorCode.HEADER_TOO_LARGE,
      `header of ${headerSizeBytes} bytes exceeds the 24-bit header length`,
    );
  }
  const length = 4 + headerSizeBytes + bodySizeBytes;
  if (length > MAX_LENGTH_FIELD) {
    throw new RemotingError(
      RemotingErrorCode.HEADER_TOO_LARGE,
      `frame of ${length} bytes exceeds the int32 length field`,
    );
  }
  const head = Buffer.allocUnsafe(FRAME_PREFIX_SIZE_BYTES + headerSizeBytes);
  head.writeInt32BE(length, 0);
  head[4] = serializeTypeByte;
  head.writeUIntBE(headerSizeBytes, 5, 3);
  return head;
}

/** The frame as one buffer. */
export function encodeFrame(command: RemotingCommand): Buffer {
  const parts = encodeFrameParts(command);
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

/**
 * Decodes exactly one complete frame (length field included). The body is a view into `frame`,
 * not a copy; an empty body is null, as in Java. A header over `limits` is refused before it is parsed.
 */
export function decodeFrame(frame: Buffer, limits: HeaderLimits = DEFAULT_HEADER_LIMITS): RemotingCommand {
  if (frame.length < FRAME_PREFIX_SIZE_BYTES) {
    throw new RemotingError(
      RemotingErrorCode.BAD_FRAME,
      `frame of ${frame.length} bytes is shorter than its ${FRAME_PREFIX_SIZE_BYTES}-byte prefix`,
    );
  }
  const length = frame.readUInt32BE(0);
  if (length !== frame.length - FRAME_LENGTH_FIELD_SIZE_BYTES) {
    throw new RemotingError(
      RemotingErrorCode.BAD_FRAME,
      `frame length field ${length} does not match ${frame.length - 4} bytes after it`,
    );
  }
  const serializeType = serializeTypeOf(frame.readUInt8(4));
  const headerSizeBytes = frame.readUIntBE(5, 3);
  const bodyStart = FRAME_PREFIX_SIZE_BYTES + headerSizeBytes;
  if (bodyStart > frame.length) {
    throw new RemotingError(
      RemotingErrorCode.BAD_FRAME,
      `header length ${headerSizeBytes} overruns the frame length ${length}`,
    );
  }
  if (headerSizeBytes > limits.maxHeaderBytes) {
    throw new RemotingError(
      RemotingErrorCode.OVER_LIMIT,
      `header of ${headerSizeBytes} bytes exceeds maxHeaderBytes ${limits.maxHeaderBytes}`,
    );
  }
  const headerBytes = frame.subarray(FRAME_PREFIX_SIZE_BYTES, bodyStart);
  const header =
    serializeType === 'JSON' ? decodeJsonHeader(headerBytes, limits) : decodeBinaryHeader(headerBytes, limits);
  const body = bodyStart < frame.length ? frame.subarray(bodyStart) : null;
  // One literal of a fixed shape (an object spread here cost more than the whole binary header).
  return {
    code: header.code,
    language: header.language,
    version: header.version,
    opaque: header.opaque,
    flag: header.flag,
    remark: header.remark,
    extFields: header.extFields,
    body,
    serializeType,
  };
}

function serializeTypeOf(byte: number): SerializeType {
  if (byte === 0) return 'JSON';
  if (byte === 1) return 'ROCKETMQ';
  throw new RemotingError(RemotingErrorCode.BAD_FRAME, `unknown serialize type ${byte}`);
}
