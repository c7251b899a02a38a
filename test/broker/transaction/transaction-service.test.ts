// Specification of transactional messages on the broker (half messages, END_TRANSACTION, the check
// service), through the Remoting handlers on a memory store and a fake clock: no files, no sleeps.

import { describe, expect, it } from 'vitest';
import { MessageSysFlag } from '../../../ts/protocol/message-sys-flag.js';
import {
  RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
} from '../../../ts/protocol/topics.js';
import { decodeStoredRecord } from '../../../ts/protocol/record-decoder.js';
import { ResponseCode } from '../../../ts/remoting/codes.js';
import type { RemotingCommand } from '../../../ts/remoting/remoting-command.js';
import {
  endTransaction,
  endTransactionAt,
  recordsIn,
  sendHalf,
  transactionBroker,
  type TransactionBroker,
} from './transaction-fixtures.js';

const COMMIT = MessageSysFlag.TRANSACTION_COMMIT_TYPE;
const ROLLBACK = MessageSysFlag.TRANSACTION_ROLLBACK_TYPE;
const UNKNOWN = MessageSysFlag.TRANSACTION_NOT_TYPE;

async function sendOk(broker: TransactionBroker, body: string, uniqueId: string, extra = ''): Promise<RemotingCommand> {
  const reply = await broker.call(sendHalf('TopicTx', body, uniqueId, extra));
  expect(reply?.code, reply?.remark ?? '').toBe(ResponseCode.SUCCESS);
  return reply as RemotingCommand;
}

describe('transaction: half messages', () => {
  it('stores a TRAN_MSG send in RMQ_SYS_TRANS_HALF_TOPIC queue 0, invisible on its real queue', async () => {
    const broker = transactionBroker();
    const reply = await sendOk(broker, 'order-1', 'UNIQ1');
    expect(reply.extFields).toMatchObject({ queueId: '1', queueOffset: '0', transactionId: 'UNIQ1' });
    expect(recordsIn(broker, 'TopicTx', 1)).toHaveLength(0);
    const [half] = recordsIn(broker, RMQ_SYS_TRANS_HALF_TOPIC);
    expect(half?.body.toString()).toBe('order-1');
    expect((half?.sysFlag ?? -1) & 0xc).toBe(MessageSysFlag.TRANSACTION_NOT_TYPE);
    expect(Object.fromEntries(half?.properties ?? [])).toMatchObject({
      REAL_TOPIC: 'TopicTx',
      REAL_QID: '1',
      __transactionId__: 'UNIQ1',
      TRAN_MSG: 'true',
      PGROUP: 'tx-group',
    });
  });

  it('checks a transactional send as a plain one: an illegal topic or an oversized body is refused', async () => {
    const broker = transactionBroker({ maxMessageSize: 8 });
    expect((await broker.call(sendHalf('bad topic!', 'x', 'UNIQ1')))?.code).toBe(ResponseCode.INVALID_PARAMETER);
    expect((await broker.call(sendHalf('TopicTx', 'far too long', 'UNIQ2')))?.code).toBe(ResponseCode.MESSAGE_ILLEGAL);
    expect(recordsIn(broker, RMQ_SYS_TRANS_HALF_TOPIC)).toHaveLength(0);
  });

  it('refuses transactional sends with rejectTransactionMessage (NO_PERMISSION, Java remark)', async () => {
    const broker = transactionBroker({ rejectTransactionMessage: true });
    const reply = await broker.call(sendHalf('TopicTx', 'x', 'UNIQ1'));
    expect(reply).toMatchObject({
      code: ResponseCode.NO_PERMISSION,
      remark: 'the broker[127.0.0.1] sending transaction message is forbidden',
    });
    expect(recordsIn(broker, RMQ_SYS_TRANS_HALF_TOPIC)).toHaveLength(0);
  });
});

describe('transaction: END_TRANSACTION', () => {
  it('commits: the message reaches its real queue with the transaction marks cleared, and an op record', async () => {
    const broker = transactionBroker();
    const sent = await sendOk(broker, 'order-1', 'UNIQ1');
    const reply = await broker.call(endTransaction(sent, COMMIT));
    expect(reply?.code).toBe(ResponseCode.SUCCESS);
    const [committed] = recordsIn(broker, 'TopicTx', 1);
    const half = recordsIn(broker, RMQ_SYS_TRANS_HALF_TOPIC)[0];
    expect(committed?.body.toString()).toBe('order-1');
    expect((committed?.sysFlag ?? -1) & 0xc).toBe(MessageSysFlag.TRANSACTION_COMMIT_TYPE);
    expect(committed?.preparedTransactionOffset).toBe(half?.physicalOffset);
    expect(committed?.properties.get('UNIQ_KEY')).toBe('UNIQ1');
    for (const gone of ['REAL_TOPIC', 'REAL_QID', 'TRAN_MSG']) expect(committed?.properties.has(gone)).toBe(false);
    const [op] = recordsIn(broker, RMQ_SYS_TRANS_OP_HALF_TOPIC);
    expect(op?.body.toString()).toBe('0,');
    expect(op?.properties.get('TAGS')).toBe('d');
  });

  it('rolls back: nothing reaches the real queue, an op record marks the half resolved', async () => {
    const broker = transactionBroker();
    const sent = await sendOk(broker, 'order-1', 'UNIQ1');
    expect((await broker.call(endTransaction(sent, ROLLBACK)))?.code).toBe(ResponseCode.SUCCESS);
    expect(recordsIn(broker, 'TopicTx', 1)).toHaveLength(0);
    expect(recordsIn(broker, RMQ_SYS_TRANS_OP_HALF_TOPIC).map((op) => op.body.toString())).toEqual(['0,']);
  });

  it('gives an "unknown" state no reply and leaves the half for the check', async () => {
    const broker = transactionBroker();
    const sent = await sendOk(broker, 'order-1', 'UNIQ1');
    expect(await broker.call(endTransaction(sent, UNKNOWN))).toBeNull();
    expect(recordsIn(broker, RMQ_SYS_TRANS_OP_HALF_TOPIC)).toHaveLength(0);
  });

  it('answers an unknown offset, a wrong group or offset, and a second resolution with SYSTEM_ERROR', async () => {
    const broker = transactionBroker();
    const sent = await sendOk(broker, 'order-1', 'UNIQ1');
    const unknown = await broker.call(endTransactionAt(987_654, 0, COMMIT));
    expect(unknown).toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      remark: 'Find prepared transaction message failed',
    });
    const wrongGroup = await broker.call(endTransaction(sent, COMMIT, { producerGroup: 'other' }));
    expect(wrongGroup).toMatchObject({ code: ResponseCode.SYSTEM_ERROR, remark: 'The producer group wrong' });
    const wrongOffset = await broker.call(endTransaction(sent, COMMIT, { tranStateTableOffset: '5' }));
    expect(wrongOffset?.remark).toBe('The transaction state table offset wrong');
    expect((await broker.call(endTransaction(sent, COMMIT)))?.code).toBe(ResponseCode.SUCCESS);
    const again = await broker.call(endTransaction(sent, ROLLBACK));
    expect(again?.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(again?.remark).toContain('already been committed or rolled back');
    expect(recordsIn(broker, 'TopicTx', 1)).toHaveLength(1);
    const bad = await broker.call(endTransaction(sent, 3)).catch((error: unknown) => error);
    expect(String(bad)).toContain('commitOrRollback field wrong');
  });

  it('refuses a late producer commit past CHECK_IMMUNITY_TIME_IN_SECONDS (ILLEGAL_OPERATION)', async () => {
    const broker = transactionBroker();
    const sent = await sendOk(broker, 'x', 'UNIQ1', 'CHECK_IMMUNITY_TIME_IN_SECONDS\x0110\x02');
    // Born at 1_700_000_000_000 (the send header), the clock starts there too.
    broker.world.clock.advance(11_000);
    expect((await broker.call(endTransaction(sent, COMMIT)))?.code).toBe(ResponseCode.ILLEGAL_OPERATION);
    const checkAnswer = endTransaction(sent, COMMIT, { fromTransactionCheck: 'true' });
    expect((await broker.call(checkAnswer))?.code).toBe(ResponseCode.SUCCESS);
  });
});

describe('transaction: the check service', () => {
  it('asks a live producer about an unresolved half after transactionTimeOut, and commits its answer', async () => {
    const broker = transactionBroker({ transactionCheckInterval: 1000 });
    broker.connectProducer();
    const sent = await sendOk(broker, 'order-1', 'UNIQ1');
    await broker.call(endTransaction(sent, UNKNOWN));
    await broker.advance(5000);
    expect(broker.checks).toHaveLength(0);
    await broker.advance(2000);
    expect(broker.checks).toHaveLength(1);
    const check = broker.checks[0];
    expect(check).toMatchObject({ connectionId: '127.0.0.1:50001', msgId: 'UNIQ1', transactionId: 'UNIQ1' });
    expect(check?.tranStateTableOffset).toBe(1);
    const asked = decodeStoredRecord(check?.body ?? Buffer.alloc(0));
    expect({ topic: asked.topic, queueId: asked.queueId, body: asked.body.toString() }).toEqual({
      topic: 'TopicTx',
      queueId: 1,
      body: 'order-1',
    });
    expect(asked.properties.get('TRANSACTION_CHECK_TIMES')).toBe('1');
    expect(asked.physicalOffset).toBe(check?.commitLogOffset);
    const answer = endTransactionAt(check?.commitLogOffset ?? 0, check?.tranStateTableOffset ?? 0, COMMIT, {
      fromTransactionCheck: 'true',
    });
    expect((await broker.call(answer))?.code).toBe(ResponseCode.SUCCESS);
    expect(recordsIn(broker, 'TopicTx', 1).map((record) => record.body.toString())).toEqual(['order-1']);
    await broker.advance(10_000);
    expect(broker.checks).toHaveLength(1);
  });

  it('commits a half once when the answers to two checks of it both arrive', async () => {
    const broker = transactionBroker({ transactionCheckInterval: 1000 });
    broker.connectProducer();
    await sendOk(broker, 'order-1', 'UNIQ1');
    await broker.advance(8000);
    expect(broker.checks.map((check) => check.tranStateTableOffset)).toEqual([1, 2]);
    const answers: (RemotingCommand | null)[] = [];
    for (const check of broker.checks) {
      const answer = endTransactionAt(check.commitLogOffset, check.tranStateTableOffset, COMMIT, {
        fromTransactionCheck: 'true',
      });
      answers.push(await broker.call(answer));
    }
    expect(answers.map((answer) => answer?.code)).toEqual([ResponseCode.SUCCESS, ResponseCode.SYSTEM_ERROR]);
    expect(recordsIn(broker, 'TopicTx', 1)).toHaveLength(1);
    await broker.advance(5000);
    expect(broker.checks).toHaveLength(2);
  });

  it('never checks a half resolved in time, and moves its progress past it', async () => {
    const broker = transactionBroker({ transactionCheckInterval: 1000 });
    broker.connectProducer();
    const sent = await sendOk(broker, 'a', 'UNIQ1');
    await broker.call(endTransaction(sent, ROLLBACK));
    await broker.advance(20_000);
    expect(broker.checks).toHaveLength(0);
    expect(broker.services.transactions.halfProgressOffset).toBe(1);
  });

  it('discards a half to TRANS_CHECK_MAX_TIME_TOPIC after transactionCheckMax checks', async () => {
    const broker = transactionBroker({ transactionCheckInterval: 1000, transactionCheckMax: 3 });
    broker.connectProducer();
    await sendOk(broker, 'never-answered', 'UNIQ1');
    await broker.advance(30_000);
    expect(broker.checks).toHaveLength(3);
    const [discarded] = recordsIn(broker, RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC);
    expect(discarded?.body.toString()).toBe('never-answered');
    expect(discarded?.properties.get('TRANSACTION_CHECK_TIMES')).toBe('3');
    expect(broker.meta.topics.get(RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC)?.readQueueNums).toBe(1);
    await broker.advance(10_000);
    expect(broker.checks).toHaveLength(3);
  });

  it('waits CHECK_IMMUNITY_TIME_IN_SECONDS before checking, and never checks a half resolved meanwhile', async () => {
    const broker = transactionBroker({ transactionCheckInterval: 1000 });
    broker.connectProducer();
    await sendOk(broker, 'slow', 'UNIQ1', 'CHECK_IMMUNITY_TIME_IN_SECONDS\x0120\x02');
    const resolved = await sendOk(broker, 'fast', 'UNIQ2', 'CHECK_IMMUNITY_TIME_IN_SECONDS\x0120\x02');
    await broker.advance(10_000);
    await broker.call(endTransaction(resolved, COMMIT));
    await broker.advance(9_000);
    expect(broker.checks).toHaveLength(0);
    await broker.advance(2_000);
    expect(broker.checks.map((check) => check.msgId)).toEqual(['UNIQ1']);
  });

  it('keeps its progress across a restart: a resolved half stays resolved, a pending one is checked', async () => {
    const first = transactionBroker({ transactionCheckInterval: 1000 });
    const committed = await sendOk(first, 'a', 'UNIQ1');
    await first.call(endTransaction(committed, COMMIT));
    await sendOk(first, 'b', 'UNIQ2');
    await first.advance(2000);
    await first.stop();
    first.meta.offsets.persist();
    const second = transactionBroker({ transactionCheckInterval: 1000 }, first.world);
    second.connectProducer();
    const again = await second.call(endTransaction(committed, COMMIT));
    expect(again?.remark).toContain('already been committed or rolled back');
    await second.advance(5000);
    expect(second.checks.map((check) => check.msgId)).toEqual(['UNIQ2']);
    expect(recordsIn(second, 'TopicTx', 1).map((record) => record.body.toString())).toEqual(['a']);
  });

  it('skips the check when no producer of the group is connected, and counts it', async () => {
    const broker = transactionBroker({ transactionCheckInterval: 1000 });
    await sendOk(broker, 'x', 'UNIQ1');
    await broker.advance(8000);
    expect(broker.checks).toHaveLength(0);
    broker.connectProducer();
    await broker.advance(1000);
    const [check] = broker.checks;
    expect(decodeStoredRecord(check?.body ?? Buffer.alloc(0)).properties.get('TRANSACTION_CHECK_TIMES')).not.toBe('1');
  });
});
