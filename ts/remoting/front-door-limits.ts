// The front door's limits (docs/reliability.md): frame and header sizes checked before any expensive
// parse, per-connection and process-wide byte budgets, idle and slow-frame timeouts, and ByteBudget,
// the shared counter a process-wide budget is. Depends on nothing.

/** What a header may hold before it is parsed into objects; over a limit the frame is refused. */
export interface HeaderLimits {
  /** Header bytes (the 24-bit header length) of one frame. */
  readonly maxHeaderBytes: number;
  /** Entries in extFields. */
  readonly maxHeaderFields: number;
  /** Length of one extFields key (UTF-16 units for JSON headers, bytes for binary ones). */
  readonly maxHeaderKeyBytes: number;
  /** Length of one extFields value (as above). */
  readonly maxHeaderValueBytes: number;
  /** Nesting depth of a JSON header (the header object is 1, extFields 2). */
  readonly maxHeaderDepth: number;
}

/** Every limit a RemotingServer applies to its connections. */
export interface FrontDoorLimits extends HeaderLimits {
  /** The largest whole frame (length field included); Java's `com.rocketmq.remoting.frameMaxLength`. */
  readonly maxFrameSizeBytes: number;
  /** Bytes one connection may hold of frames not yet complete. */
  readonly maxPendingFrameBytes: number;
  /** Bytes all connections together may hold of frames not yet complete. */
  readonly maxPendingFrameTotalBytes: number;
  /** A connection with no read and no write for this long is closed (Java `serverChannelMaxIdleTimeSeconds`). */
  readonly idleTimeoutMs: number;
  /** A frame whose first byte arrived this long ago and is still incomplete closes its connection. */
  readonly frameTimeoutMs: number;
  /** Reply bytes one connection may have queued; past half of it the connection is not read until it drains. */
  readonly maxWriteBufferBytes: number;
  /** Reply bytes all connections together may have queued. */
  readonly maxWriteBufferTotalBytes: number;
  /** A connection paused for unread replies that does not drain within this long is closed. */
  readonly writeDrainTimeoutMs: number;
}

const MiB = 1024 * 1024;

/** Defaults sized for a 2-core, 24 GiB node (docs/reliability.md has the table). */
export const DEFAULT_FRONT_DOOR_LIMITS: FrontDoorLimits = {
  maxFrameSizeBytes: 16 * MiB,
  maxPendingFrameBytes: 16 * MiB,
  maxPendingFrameTotalBytes: 1024 * MiB,
  maxHeaderBytes: 256 * 1024,
  maxHeaderFields: 1024,
  maxHeaderKeyBytes: 1024,
  maxHeaderValueBytes: 128 * 1024,
  maxHeaderDepth: 16,
  idleTimeoutMs: 120_000,
  frameTimeoutMs: 30_000,
  maxWriteBufferBytes: 64 * MiB,
  maxWriteBufferTotalBytes: 1024 * MiB,
  writeDrainTimeoutMs: 30_000,
};

export const DEFAULT_HEADER_LIMITS: HeaderLimits = DEFAULT_FRONT_DOOR_LIMITS;

/** A byte budget shared by many holders: each reserves before it holds and releases what it let go. */
export class ByteBudget {
  private usedSizeBytes = 0;
  private takenSizeBytes = 0;
  private releasedSizeBytes = 0;

  constructor(readonly limitBytes: number) {}

  get usedBytes(): number {
    return this.usedSizeBytes;
  }

  /** Every byte ever reserved: a running total of what has passed through the budget. */
  get takenTotalBytes(): number {
    return this.takenSizeBytes;
  }

  /** Every byte ever released: a running total of what holders have let go. */
  get releasedTotalBytes(): number {
    return this.releasedSizeBytes;
  }

  /** Takes `sizeBytes` if the budget has room for it; false (nothing taken) otherwise. */
  tryReserve(sizeBytes: number): boolean {
    if (this.usedSizeBytes + sizeBytes > this.limitBytes) return false;
    this.usedSizeBytes += sizeBytes;
    this.takenSizeBytes += sizeBytes;
    return true;
  }

  release(sizeBytes: number): void {
    this.usedSizeBytes -= sizeBytes;
    this.releasedSizeBytes += sizeBytes;
  }
}

/**
 * The limits as config keys (broker.conf and the registry's config), with Apache's names where it has
 * one (`serverChannelMaxIdleTimeSeconds`, `frameMaxLength` from `com.rocketmq.remoting.frameMaxLength`).
 */
export const FRONT_DOOR_CONFIG_DEFAULTS = {
  frameMaxLength: DEFAULT_FRONT_DOOR_LIMITS.maxFrameSizeBytes,
  serverChannelMaxIdleTimeSeconds: DEFAULT_FRONT_DOOR_LIMITS.idleTimeoutMs / 1000,
  serverFrameTimeoutMillis: DEFAULT_FRONT_DOOR_LIMITS.frameTimeoutMs,
  serverPendingFrameMaxBytes: DEFAULT_FRONT_DOOR_LIMITS.maxPendingFrameBytes,
  serverPendingFrameTotalMaxBytes: DEFAULT_FRONT_DOOR_LIMITS.maxPendingFrameTotalBytes,
  serverHeaderMaxBytes: DEFAULT_FRONT_DOOR_LIMITS.maxHeaderBytes,
  serverHeaderMaxFields: DEFAULT_FRONT_DOOR_LIMITS.maxHeaderFields,
  serverHeaderKeyMaxBytes: DEFAULT_FRONT_DOOR_LIMITS.maxHeaderKeyBytes,
  serverHeaderValueMaxBytes: DEFAULT_FRONT_DOOR_LIMITS.maxHeaderValueBytes,
  serverHeaderMaxDepth: DEFAULT_FRONT_DOOR_LIMITS.maxHeaderDepth,
  serverWriteBufferMaxBytes: DEFAULT_FRONT_DOOR_LIMITS.maxWriteBufferBytes,
  serverWriteBufferTotalMaxBytes: DEFAULT_FRONT_DOOR_LIMITS.maxWriteBufferTotalBytes,
  serverWriteDrainTimeoutMillis: DEFAULT_FRONT_DOOR_LIMITS.writeDrainTimeoutMs,
};

export type FrontDoorConfig = typeof FRONT_DOOR_CONFIG_DEFAULTS;

/** The limits a config gives (its keys as in FRONT_DOOR_CONFIG_DEFAULTS). */
export function frontDoorLimitsOf(config: FrontDoorConfig): FrontDoorLimits {
  return {
    maxFrameSizeBytes: config.frameMaxLength,
    idleTimeoutMs: config.serverChannelMaxIdleTimeSeconds * 1000,
    frameTimeoutMs: config.serverFrameTimeoutMillis,
    maxPendingFrameBytes: config.serverPendingFrameMaxBytes,
    maxPendingFrameTotalBytes: config.serverPendingFrameTotalMaxBytes,
    maxHeaderBytes: config.serverHeaderMaxBytes,
    maxHeaderFields: config.serverHeaderMaxFields,
    maxHeaderKeyBytes: config.serverHeaderKeyMaxBytes,
    maxHeaderValueBytes: config.serverHeaderValueMaxBytes,
    maxHeaderDepth: config.serverHeaderMaxDepth,
    maxWriteBufferBytes: config.serverWriteBufferMaxBytes,
    maxWriteBufferTotalBytes: config.serverWriteBufferTotalMaxBytes,
    writeDrainTimeoutMs: config.serverWriteDrainTimeoutMillis,
  };
}
