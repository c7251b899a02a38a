// The sysFlag bits of a message (Java `MessageSysFlag`), written in SEND headers and CommitLog
// records: compression, multi-tags, the transaction type (two bits), IPv6 hosts, batches.
// Depends on nothing.

/** Java `MessageSysFlag`, with Java's names. */
export const MessageSysFlag = {
  COMPRESSED_FLAG: 0x1,
  MULTI_TAGS_FLAG: 0x2,
  /** Bits 2-3 hold the transaction type: none, prepared (half), commit, rollback. */
  TRANSACTION_NOT_TYPE: 0x0,
  TRANSACTION_PREPARED_TYPE: 0x4,
  TRANSACTION_COMMIT_TYPE: 0x8,
  TRANSACTION_ROLLBACK_TYPE: 0xc,
  /** BORNHOST is 16 address bytes + port. */
  BORNHOST_V6_FLAG: 0x10,
  /** STOREHOST is 16 address bytes + port. */
  STOREHOSTADDRESS_V6_FLAG: 0x20,
  NEED_UNWRAP_FLAG: 0x40,
  INNER_BATCH_FLAG: 0x80,
  /** Bits 8-10: the body's compression type, 0 or 3 zlib, 1 LZ4, 2 ZSTD (Java `COMPRESSION_TYPE_COMPARATOR`). */
  COMPRESSION_TYPE_COMPARATOR: 0x700,
} as const;

/** The two transaction-type bits (Java masks with `TRANSACTION_ROLLBACK_TYPE`). */
export const TRANSACTION_TYPE_MASK = MessageSysFlag.TRANSACTION_ROLLBACK_TYPE;

/** Java `MessageSysFlag.getTransactionValue`: the transaction type bits of `sysFlag`. */
export function getTransactionValue(sysFlag: number): number {
  return sysFlag & TRANSACTION_TYPE_MASK;
}

/** Java `MessageSysFlag.resetTransactionValue`: `sysFlag` with its transaction type replaced by `type`. */
export function resetTransactionValue(sysFlag: number, type: number): number {
  return (sysFlag & ~TRANSACTION_TYPE_MASK) | type;
}

/** Java `MessageSysFlag.clearCompressedFlag`. */
export function clearCompressedFlag(sysFlag: number): number {
  return sysFlag & ~MessageSysFlag.COMPRESSED_FLAG;
}

/** The compression type code (bits 8-10): 0 or 3 zlib, 1 LZ4, 2 ZSTD. */
export function compressionType(sysFlag: number): number {
  return (sysFlag & MessageSysFlag.COMPRESSION_TYPE_COMPARATOR) >> 8;
}
