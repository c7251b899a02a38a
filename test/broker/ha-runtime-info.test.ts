// GET_BROKER_HA_STATUS's body (ts/broker/domain/replication/ha-runtime-info.ts, docs/replication.md §10).

import { describe, expect, it } from 'vitest';
import { buildHaRuntimeInfo } from '../../ts/broker/domain/replication/ha-runtime-info.js';

const status = { role: 'MASTER', connections: 1, ackedOffset: 900, masterAddress: '', connected: false };

describe('HARuntimeInfo', () => {
  it('a master reports its end and its nearest slave, in sync within the gap', () => {
    const info = buildHaRuntimeInfo(status, 1000, 256);
    expect(info).toMatchObject({ master: true, masterCommitLogMaxOffset: 1000, inSyncSlaveNums: 1 });
    expect(info.haConnectionInfo).toEqual([
      { addr: '', slaveAckOffset: 900, diff: 100, inSync: true, transferredByteInSecond: 0, transferFromWhere: 900 },
    ]);
    expect(buildHaRuntimeInfo(status, 1000, 99).inSyncSlaveNums).toBe(0);
  });

  it('a master without slaves has none in sync', () => {
    const info = buildHaRuntimeInfo({ ...status, connections: 0, ackedOffset: 0 }, 1000, 256);
    expect(info).toMatchObject({ master: true, inSyncSlaveNums: 0, haConnectionInfo: [] });
  });

  it('a slave reports its master and its own end', () => {
    const slave = { ...status, role: 'SLAVE', masterAddress: '127.0.0.1:10912', connected: true };
    const info = buildHaRuntimeInfo(slave, 640, 256);
    expect(info).toMatchObject({ master: false, inSyncSlaveNums: 0, haConnectionInfo: [] });
    expect(info.haClientRuntimeInfo).toMatchObject({ masterAddr: '127.0.0.1:10912', maxOffset: 640, activated: true });
  });
});
