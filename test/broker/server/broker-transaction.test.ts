// Transactions over real TCP against the broker on the native store: a half message is committed with
// END_TRANSACTION; END_TRANSACTION for an unknown offset, for an already-resolved one, and with a bad
// commitOrRollback each get an answer (SYSTEM_ERROR and Java's remark), and the broker keeps serving:
// the same connection and another one send and pull normally afterwards.

import { afterEach, describe, expect, it } from 'vitest';
import { RequestCode, ResponseCode } from '../../../ts/remoting/codes.js';
import { createRequest, type RemotingCommand } from '../../../ts/remoting/remoting-command.js';
import { decodeOffsetMessageId } from '../../../ts/protocol/offset-message-id.js';
import { decodeStoredRecords } from '../../../ts/protocol/record-decoder.js';
import { type CleanupStep, runCleanup, startTestBroker, testClient } from './broker-fixtures.js';

const cleanup: CleanupStep[] = [];
afterEach(() => runCleanup(cleanup));

function send(topic: string, body: string, transactional: boolean) {
  const properties = transactional ? 'TRAN_MSG\x01true\x02PGROUP\x01tx_group\x02' : 'TAGS\x01A\x02';
  const fields = { a: 'tx_group', b: topic, c: 'TBW102', d: '4', e: '0', f: transactional ? '4' : '0' };
  return createRequest(
    RequestCode.SEND_MESSAGE_V2,
    { ...fields, g: String(Date.now()), h: '0', i: properties, j: '0', k: 'false', m: 'false' },
    Buffer.from(body),
  );
}

function endTransaction(sent: RemotingCommand, commitOrRollback: string) {
  const fields = sent.extFields ?? {};
  return createRequest(RequestCode.END_TRANSACTION, {
    producerGroup: 'tx_group',
    tranStateTableOffset: fields['queueOffset'] ?? '',
    commitLogOffset: String(decodeOffsetMessageId(fields['msgId'] ?? '').physicalOffset),
    commitOrRollback,
    fromTransactionCheck: 'false',
    msgId: fields['transactionId'] ?? '',
  });
}

function pull(topic: string) {
  return createRequest(RequestCode.PULL_MESSAGE, {
    consumerGroup: 'cg',
    topic,
    queueId: '0',
    queueOffset: '0',
    maxMsgNums: '32',
    sysFlag: '4',
    commitOffset: '0',
    suspendTimeoutMillis: '0',
    subscription: '*',
    subVersion: '1',
  });
}

describe('broker: transactions over TCP', () => {
  it('commits a half, refuses bad END_TRANSACTIONs with a clear answer, and keeps serving', async () => {
    const broker = await startTestBroker(cleanup);
    const remoting = testClient(cleanup);
    const address = `127.0.0.1:${broker.port}`;

    const half = await remoting.invoke(address, send('TxTcpTopic', 'paid', true));
    expect(half.code).toBe(ResponseCode.SUCCESS);
    const beforeCommit = await remoting.invoke(address, pull('TxTcpTopic'));
    expect(decodeStoredRecords(beforeCommit.body ?? Buffer.alloc(0))).toHaveLength(0);

    const commit = await remoting.invoke(address, endTransaction(half, '8'));
    expect(commit.code).toBe(ResponseCode.SUCCESS);
    const pulled = await remoting.invoke(address, pull('TxTcpTopic'));
    expect(decodeStoredRecords(pulled.body ?? Buffer.alloc(0)).map((r) => r.body.toString())).toEqual(['paid']);

    const again = await remoting.invoke(address, endTransaction(half, '12'));
    expect(again.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(again.remark).toContain('already been committed or rolled back');

    const unknownOffset = createRequest(RequestCode.END_TRANSACTION, {
      producerGroup: 'tx_group',
      tranStateTableOffset: '0',
      commitLogOffset: '123456789',
      commitOrRollback: '8',
      msgId: 'nope',
    });
    const unknown = await remoting.invoke(address, unknownOffset);
    expect(unknown).toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      remark: 'Find prepared transaction message failed',
    });

    const plain = await remoting.invoke(address, send('TxTcpPlain', 'plain', false));
    const notHalf = await remoting.invoke(address, endTransaction(plain, '8'));
    expect(notHalf).toMatchObject({
      code: ResponseCode.SYSTEM_ERROR,
      remark: 'Find prepared transaction message failed',
    });

    const badType = await remoting.invoke(address, endTransaction(half, '5'));
    expect(badType.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(badType.remark).toContain('commitOrRollback field wrong');

    const other = testClient(cleanup);
    expect((await other.invoke(address, send('TxTcpPlain', 'after', false))).code).toBe(ResponseCode.SUCCESS);
    const plainPulled = await remoting.invoke(address, pull('TxTcpPlain'));
    const bodies = decodeStoredRecords(plainPulled.body ?? Buffer.alloc(0)).map((r) => r.body.toString());
    expect(bodies).toEqual(['plain', 'after']);
  });
});
