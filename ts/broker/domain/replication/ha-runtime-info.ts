// The GET_BROKER_HA_STATUS body (Apache's HARuntimeInfo, docs/replication.md §10) built from the store's HA
// status: a master's nearest slave, or a slave's client state. Pure; depends on nothing.

/** What the store's replication reports (the native HaStatus's fields this table reads). */
export interface HaStatusView {
  /** "MASTER", "SLAVE" or "NONE". */
  readonly role: string;
  readonly connections: number;
  /** Master: the highest offset a slave confirmed. */
  readonly ackedOffset: number;
  /** Slave: the master's HA address. */
  readonly masterAddress: string;
  readonly connected: boolean;
}

export interface HaConnectionRuntimeInfo {
  readonly addr: string;
  readonly slaveAckOffset: number;
  readonly diff: number;
  readonly inSync: boolean;
  readonly transferredByteInSecond: number;
  readonly transferFromWhere: number;
}

export interface HaClientRuntimeInfo {
  readonly masterAddr: string;
  readonly transferredByteInSecond: number;
  readonly maxOffset: number;
  readonly lastReadTimestamp: number;
  readonly lastWriteTimestamp: number;
  readonly masterFlushOffset: number;
  readonly activated: boolean;
}

export interface HaRuntimeInfo {
  readonly master: boolean;
  readonly masterCommitLogMaxOffset: number;
  readonly inSyncSlaveNums: number;
  readonly haConnectionInfo: HaConnectionRuntimeInfo[];
  readonly haClientRuntimeInfo: HaClientRuntimeInfo;
}

const IDLE_CLIENT: HaClientRuntimeInfo = {
  masterAddr: '',
  transferredByteInSecond: 0,
  maxOffset: 0,
  lastReadTimestamp: 0,
  lastWriteTimestamp: 0,
  masterFlushOffset: 0,
  activated: false,
};

/**
 * A master reports its CommitLog end and, when slaves are connected, one connection: the nearest slave (the
 * store tracks the highest acknowledged offset, not each slave's). A slave reports its own end and master.
 * Rates and timestamps the store does not keep are 0.
 */
export function buildHaRuntimeInfo(status: HaStatusView, commitLogMaxOffset: number, maxGap: number): HaRuntimeInfo {
  if (status.role === 'SLAVE') {
    const client = {
      ...IDLE_CLIENT,
      masterAddr: status.masterAddress,
      maxOffset: commitLogMaxOffset,
      activated: status.connected,
    };
    return {
      master: false,
      masterCommitLogMaxOffset: 0,
      inSyncSlaveNums: 0,
      haConnectionInfo: [],
      haClientRuntimeInfo: client,
    };
  }
  const diff = Math.max(0, commitLogMaxOffset - status.ackedOffset);
  const inSync = status.connections > 0 && diff <= maxGap;
  const nearest: HaConnectionRuntimeInfo = {
    addr: '',
    slaveAckOffset: status.ackedOffset,
    diff,
    inSync,
    transferredByteInSecond: 0,
    transferFromWhere: status.ackedOffset,
  };
  return {
    master: true,
    masterCommitLogMaxOffset: commitLogMaxOffset,
    inSyncSlaveNums: inSync ? 1 : 0,
    haConnectionInfo: status.connections > 0 ? [nearest] : [],
    haClientRuntimeInfo: IDLE_CLIENT,
  };
}
