// Specification of END_TRANSACTION under load: the ENDs of one event-loop turn are settled together
// (one store read of their halves, their commits and op records in one append, the op records merged
// up to transactionOpMsgMaxSize as Java merges them), and a commit goes through the put path of a send
// (a DELAY level or a timer parks it). Memory store, fake clock, the Remoting handlers.

import { describe, expect, it, vi } from 'vitest';
import { MessageSysFlag } from '../../../ts/protocol/message-sys-flag.js';
import { RMQ_SYS_SCHEDULE_TOPIC, RMQ_SYS_TRANS_OP_HALF_TOPIC, TIMER_TOPIC } from '../../../ts/protocol/topics.js';
import { ResponseCode } from '../../../ts/remoting/codes.js';
import type { RemotingCommand } from '../../../ts/remoting/remoting-command.js';
import { TRANSACTION_END_BATCH_MAX_COUNT } from '../../../ts/broker/limits.js';
import {
  endTransaction,
  endTransactionAt,
  recordsIn,
  sendHalf,
  transactionBroker,
  transactionWorld,
  type TransactionBroker,
} from './transaction-fixtures.js';

const COMMIT = MessageSysFlag.TRANSACTION_COMMIT_TYPE;
const ROLLBACK = MessageSysFlag.TRANSACTION_ROLLBACK_TYPE;

async function sendHalves(broker: TransactionBroker, count: number, extra = ''): Promise<RemotingCommand[]> {
  const replies: RemotingCommand[] = [];
  for (let i = 0; i < count; i += 1) {
    const reply = await broker.call(sendHalf('TopicTx', `order-${i}`, `UNIQ${i}`, extra));
    expect(reply?.code, reply?.remark ?? '').toBe(ResponseCode.SUCCESS);
    replies.push(reply as RemotingCommand);
  }
  return replies;
}

function opBodies(broker: TransactionBroker): string[] {
  return recordsIn(broker, RMQ_SYS_TRANS_OP_HALF_TOPIC).map((op) => op.body.toString());
}

describe('transaction: the END_TRANSACTIONs of one turn', () => {
  it('reads their halves with one store call and writes one op record naming every resolved half', async () => {
    const broker = transactionBroker();
    const sent = await sendHalves(broker, 3);
    const byOffsets = vi.spyOn(broker.world.store, 'getMessagesByOffsets');
    const byOffset = vi.spyOn(broker.world.store, 'getMessageByOffset');
    const replies = await broker.callTogether([
      endTransaction(sent[0] as RemotingCommand, COMMIT),
      endTransaction(sent[1] as RemotingCommand, ROLLBACK),
      endTransactionAt(987_654, 0, COMMIT),
      endTransaction(sent[2] as RemotingCommand, COMMIT),
      endTransaction(sent[0] as RemotingCommand, ROLLBACK),
    ]);
    expect(replies.map((reply) => reply?.code)).toEqual([
      ResponseCode.SUCCESS,
      ResponseCode.SUCCESS,
      ResponseCode.SYSTEM_ERROR,
      ResponseCode.SUCCESS,
      ResponseCode.SYSTEM_ERROR,
    ]);
    expect(replies[2]?.remark).toBe('Find prepared transaction message failed');
    expect(replies[4]?.remark).toContain('already been committed or rolled back');
    expect(byOffsets).toHaveBeenCalledTimes(1);
    expect(byOffset).not.toHaveBeenCalled();
    expect(recordsIn(broker, 'TopicTx', 1).map((message) => message.body.toString())).toEqual(['order-0', 'order-2']);
    expect(opBodies(broker)).toEqual(['0,1,2,']);
  });

  it('fills each op record while its body is shorter than transactionOpMsgMaxSize, as Java merges them', async () => {
    const broker = transactionBroker({ transactionOpMsgMaxSize: 4 });
    const sent = await sendHalves(broker, 5);
    const replies = await broker.callTogether(sent.map((reply) => endTransaction(reply, COMMIT)));
    expect(replies.every((reply) => reply?.code === ResponseCode.SUCCESS)).toBe(true);
    expect(opBodies(broker)).toEqual(['0,1,', '2,3,', '4,']);
  });

  it('settles a turn of more than TRANSACTION_END_BATCH_MAX_COUNT ENDs in bounded reads, all applied', async () => {
    const broker = transactionBroker();
    const count = TRANSACTION_END_BATCH_MAX_COUNT + 4;
    const sent: RemotingCommand[] = [];
    for (let start = 0; start < count; start += 512) {
      const requests = [];
      for (let i = start; i < Math.min(count, start + 512); i += 1) requests.push(sendHalf('TopicTx', 'x', `U${i}`));
      sent.push(...((await broker.callTogether(requests)) as RemotingCommand[]));
    }
    const byOffsets = vi.spyOn(broker.world.store, 'getMessagesByOffsets');
    const replies = await broker.callTogether(sent.map((reply) => endTransaction(reply, ROLLBACK)));
    expect(replies.filter((reply) => reply?.code !== ResponseCode.SUCCESS)).toEqual([]);
    expect(byOffsets.mock.calls.map(([offsets]) => offsets.length)).toEqual([TRANSACTION_END_BATCH_MAX_COUNT, 4]);
    const resolved = opBodies(broker).flatMap((body) => body.split(',').filter((text) => text !== ''));
    expect(resolved.map(Number).sort((a, b) => a - b)).toEqual([...Array(count).keys()]);
  });

  it('keeps merged op records across a restart: every half stays resolved and none is checked', async () => {
    const world = transactionWorld();
    const broker = transactionBroker({}, world);
    const sent = await sendHalves(broker, 3);
    await broker.callTogether(sent.map((reply) => endTransaction(reply, ROLLBACK)));
    await broker.stop();
    const restarted = transactionBroker({}, world);
    restarted.connectProducer();
    for (const reply of sent) {
      expect((await restarted.call(endTransaction(reply, COMMIT)))?.remark).toContain('already been committed');
    }
    await restarted.advance(60_000);
    expect(restarted.checks).toHaveLength(0);
    expect(restarted.services.transactions.halfProgressOffset).toBe(3);
    expect(recordsIn(restarted, 'TopicTx', 1)).toHaveLength(0);
  });
});

describe('transaction: a commit goes through the put path of a send', () => {
  it('parks a committed half with a DELAY level in SCHEDULE_TOPIC_XXXX, not on its real queue', async () => {
    const broker = transactionBroker();
    const [sent] = await sendHalves(broker, 1, 'DELAY\x013\x02');
    expect((await broker.call(endTransaction(sent as RemotingCommand, COMMIT)))?.code).toBe(ResponseCode.SUCCESS);
    expect(recordsIn(broker, 'TopicTx', 1)).toHaveLength(0);
    const [parked] = recordsIn(broker, RMQ_SYS_SCHEDULE_TOPIC, 2);
    expect(parked?.body.toString()).toBe('order-0');
    expect((parked?.sysFlag ?? -1) & 0xc).toBe(MessageSysFlag.TRANSACTION_COMMIT_TYPE);
    expect(Object.fromEntries(parked?.properties ?? [])).toMatchObject({
      REAL_TOPIC: 'TopicTx',
      REAL_QID: '1',
      DELAY: '3',
      UNIQ_KEY: 'UNIQ0',
    });
    expect(parked?.properties.has('TRAN_MSG')).toBe(false);
    expect(opBodies(broker)).toEqual(['0,']);
  });

  it('parks a committed half with a timer in the timer topic', async () => {
    const broker = transactionBroker();
    const [sent] = await sendHalves(broker, 1, 'TIMER_DELAY_SEC\x0160\x02');
    expect((await broker.call(endTransaction(sent as RemotingCommand, COMMIT)))?.code).toBe(ResponseCode.SUCCESS);
    expect(recordsIn(broker, 'TopicTx', 1)).toHaveLength(0);
    const [parked] = recordsIn(broker, TIMER_TOPIC, 0);
    expect(parked?.body.toString()).toBe('order-0');
    expect(parked?.properties.get('REAL_TOPIC')).toBe('TopicTx');
    expect(Number(parked?.properties.get('TIMER_OUT_MS'))).toBeGreaterThan(broker.world.clock.now());
  });

  it('leaves the half unresolved when its timer is illegal, as a send of it is refused', async () => {
    const broker = transactionBroker({ timerMaxDelaySec: 10 });
    const [sent] = await sendHalves(broker, 1, 'TIMER_DELAY_SEC\x01600\x02');
    const reply = await broker.call(endTransaction(sent as RemotingCommand, COMMIT));
    expect(reply?.code).toBe(ResponseCode.MESSAGE_ILLEGAL);
    expect(opBodies(broker)).toEqual([]);
    expect((await broker.call(endTransaction(sent as RemotingCommand, ROLLBACK)))?.code).toBe(ResponseCode.SUCCESS);
    expect(opBodies(broker)).toEqual(['0,']);
  });
});

describe('transaction: a half resolved through another copy of it', () => {
  const checkAnswer = (check: { commitLogOffset: number; tranStateTableOffset: number }, state: number) =>
    endTransactionAt(check.commitLogOffset, check.tranStateTableOffset, state, { fromTransactionCheck: 'true' });

  it('refuses the producer own late END once the answer to a check of the half was applied', async () => {
    const broker = transactionBroker({ transactionCheckInterval: 1000 });
    broker.connectProducer();
    const [sent] = await sendHalves(broker, 1);
    await broker.advance(7000);
    const [check] = broker.checks;
    expect((await broker.call(checkAnswer(check as (typeof broker.checks)[0], COMMIT)))?.code).toBe(
      ResponseCode.SUCCESS,
    );
    const late = await broker.call(endTransaction(sent as RemotingCommand, COMMIT));
    expect(late?.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(late?.remark).toContain('already been committed or rolled back');
    expect(recordsIn(broker, 'TopicTx', 1)).toHaveLength(1);
  });

  it('after a restart, refuses the answer to an earlier check once the original was resolved', async () => {
    const world = transactionWorld();
    const first = transactionBroker({ transactionCheckInterval: 1000 }, world);
    first.connectProducer();
    const [sent] = await sendHalves(first, 1);
    await first.advance(7000);
    const [check] = first.checks;
    await first.stop();
    first.meta.offsets.persist();
    const second = transactionBroker({ transactionCheckInterval: 1000 }, world);
    expect((await second.call(endTransaction(sent as RemotingCommand, COMMIT)))?.code).toBe(ResponseCode.SUCCESS);
    const answer = await second.call(checkAnswer(check as (typeof first.checks)[0], COMMIT));
    expect(answer?.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(recordsIn(second, 'TopicTx', 1)).toHaveLength(1);
  });
});
