// Specification of orderly pop on the handlers (memory store, fake clock): a queue popped in order is
// locked until its messages are acked or their invisible time ends, a re-pop counts attempts in
// orderCountInfo, acks move the group's offset, and the state is kept in consumerOrderInfo.json.

import { describe, expect, it } from 'vitest';
import { newTopicConfig } from '../../../ts/broker/domain/meta/topic-config-manager.js';
import { parseOrderCountInfo } from '../../../ts/protocol/pop-extra-info.js';
import { ResponseCode } from '../../../ts/remoting/codes.js';
import {
  ackRequest,
  advance,
  answer,
  bodies,
  changeInvisibleRequest,
  popBroker,
  popped,
  popRequest,
  sendV2,
} from './pop-fixtures.js';

async function orderlyBroker(count: number) {
  const broker = popBroker();
  broker.meta.topics.createOrUpdate(newTopicConfig('Fifo', { readQueueNums: 1, writeQueueNums: 1 }));
  for (let i = 0; i < count; i++) await answer(broker, sendV2('Fifo', 0, `m${i}`));
  return broker;
}

const orderly = (fields = {}) => popRequest('Fifo', { order: true, invisibleTime: 5_000, ...fields });

describe('pop: orderly', () => {
  it('locks the queue while its pop is un-acked and invisible, then pops the same messages, counted', async () => {
    const broker = await orderlyBroker(3);
    const first = await answer(broker, orderly({ maxMsgNums: 2 }));
    expect(bodies(first)).toEqual(['m0', 'm1']);
    expect(first.extFields['reviveQid']).toBe('999');
    expect(first.extFields['orderCountInfo']).toBe('0 0 0');
    expect((await answer(broker, orderly())).code).toBe(ResponseCode.POLLING_TIMEOUT);
    await advance(broker, 5_100);
    const again = await answer(broker, orderly({ maxMsgNums: 2 }));
    expect(bodies(again)).toEqual(['m0', 'm1']);
    const counts = parseOrderCountInfo(again.extFields['orderCountInfo'])!;
    expect([counts.get('0@qo0%0'), counts.get('0@qo0%1'), counts.get('0@0')]).toEqual([1, 1, 1]);
    expect(broker.pop.inflight.size).toBe(0);
  });

  it('acks move the group offset and unlock the queue for the next messages', async () => {
    const broker = await orderlyBroker(3);
    const messages = popped(await answer(broker, orderly({ maxMsgNums: 2 })));
    expect((await answer(broker, ackRequest(messages[0]!))).code).toBe(ResponseCode.SUCCESS);
    expect(broker.meta.offsets.queryOffset('pg', 'Fifo', 0)).toBe(1);
    expect((await answer(broker, orderly())).code).toBe(ResponseCode.POLLING_TIMEOUT);
    await answer(broker, ackRequest(messages[1]!));
    expect(broker.meta.offsets.queryOffset('pg', 'Fifo', 0)).toBe(2);
    expect(bodies(await answer(broker, orderly()))).toEqual(['m2']);
  });

  it('a change of invisible time keeps the queue locked longer', async () => {
    const broker = await orderlyBroker(1);
    const [message] = popped(await answer(broker, orderly()));
    const changed = await answer(broker, changeInvisibleRequest(message!, 20_000));
    expect(changed.code).toBe(ResponseCode.SUCCESS);
    await advance(broker, 6_000);
    expect((await answer(broker, orderly())).code).toBe(ResponseCode.POLLING_TIMEOUT);
    await advance(broker, 15_000);
    expect(bodies(await answer(broker, orderly()))).toEqual(['m0']);
  });

  it('keeps the order state in consumerOrderInfo.json', async () => {
    const broker = await orderlyBroker(2);
    await answer(broker, orderly());
    await advance(broker, broker.config.flushConsumerOffsetInterval + 100);
    const path = [...broker.metaStores.keys()].find((name) => name.endsWith('consumerOrderInfo.json'))!;
    const document = broker.metaStores.get(path)!.document as {
      table: Record<string, Record<string, { o: number[] }>>;
    };
    expect(document.table['Fifo@pg']!['0']!.o).toEqual([0, 1]);
  });
});
