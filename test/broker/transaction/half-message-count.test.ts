// The unresolved half messages per topic (`rocketmq_half_messages`, docs/metrics.md §2), read from the
// transaction state on a memory store and a fake clock: prepared halves counted per real topic, commits
// and rollbacks taking them out, the check's re-appended copies not counted twice, and a restart.

import { describe, expect, it } from 'vitest';
import { MessageSysFlag } from '../../../ts/protocol/message-sys-flag.js';
import { ResponseCode } from '../../../ts/remoting/codes.js';
import type { RemotingCommand } from '../../../ts/remoting/remoting-command.js';
import { RMQ_SYS_TRANS_HALF_TOPIC } from '../../../ts/protocol/topics.js';
import {
  endTransaction,
  recordsIn,
  sendHalf,
  transactionBroker,
  type TransactionBroker,
} from './transaction-fixtures.js';

async function half(broker: TransactionBroker, topic: string, uniqueId: string): Promise<RemotingCommand> {
  const reply = await broker.call(sendHalf(topic, 'body', uniqueId));
  expect(reply?.code, reply?.remark ?? '').toBe(ResponseCode.SUCCESS);
  return reply as RemotingCommand;
}

const counts = (broker: TransactionBroker) => Object.fromEntries(broker.services.transactions.openHalfCounts());

describe('transaction: unresolved half messages per topic', () => {
  it('counts prepared halves per real topic until they are committed or rolled back', async () => {
    const broker = transactionBroker({ transactionCheckInterval: 1000 });
    expect(counts(broker)).toEqual({});
    const first = await half(broker, 'TopicTx', 'U1');
    const second = await half(broker, 'TopicTx', 'U2');
    await half(broker, 'TopicTx', 'U3');
    await half(broker, 'OtherTx', 'U4');
    expect(counts(broker)).toEqual({ TopicTx: 3, OtherTx: 1 });
    await broker.call(endTransaction(first, MessageSysFlag.TRANSACTION_COMMIT_TYPE));
    await broker.call(endTransaction(second, MessageSysFlag.TRANSACTION_ROLLBACK_TYPE));
    expect(counts(broker)).toEqual({ TopicTx: 1, OtherTx: 1 });
    // At most that many halves read: the first two are the resolved ones.
    expect(Object.fromEntries(broker.services.transactions.openHalfCounts(2))).toEqual({});
    expect(Object.fromEntries(broker.services.transactions.openHalfCounts(3))).toEqual({ TopicTx: 1 });
    await broker.stop();
  });

  it('counts a half the check re-appended once, and reads the same state after a restart', async () => {
    const broker = transactionBroker({ transactionCheckInterval: 1000 });
    broker.connectProducer();
    const resolved = await half(broker, 'TopicTx', 'U1');
    await half(broker, 'TopicTx', 'U2');
    await broker.call(endTransaction(resolved, MessageSysFlag.TRANSACTION_COMMIT_TYPE));
    await broker.advance(15_000);
    expect(broker.checks.map((check) => check.msgId)).toContain('U2');
    expect(recordsIn(broker, RMQ_SYS_TRANS_HALF_TOPIC).length).toBeGreaterThan(2);
    expect(counts(broker)).toEqual({ TopicTx: 1 });
    await broker.stop();
    broker.meta.offsets.persist();
    const restarted = transactionBroker({ transactionCheckInterval: 1000 }, broker.world);
    expect(counts(restarted)).toEqual({ TopicTx: 1 });
    await restarted.stop();
  });
});
