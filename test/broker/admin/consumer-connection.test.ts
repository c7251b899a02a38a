// Specification of the consumer views: the ConsumerConnection body (consumerConnection) and the
// groups of QUERY_TOPIC_CONSUME_BY_WHO.

import { describe, expect, it } from 'vitest';
import {
  buildConsumerConnection,
  encodeConsumerConnection,
  encodeGroupList,
  topicConsumers,
} from '../../../ts/broker/domain/admin/consumer-connection.js';
import { ConsumerManager } from '../../../ts/broker/domain/client/consumer-manager.js';
import type { ConsumerData } from '../../../ts/broker/domain/client/heartbeat-data.js';

function consumer(group: string, topics: string[]): ConsumerData {
  return {
    groupName: group,
    consumeType: 'CONSUME_PASSIVELY',
    messageModel: 'CLUSTERING',
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    unitMode: false,
    subscriptionDataSet: topics.map((topic) => ({
      topic,
      subString: 'TagA',
      tagsSet: ['TagA'],
      codeSet: [2598919],
      subVersion: 1700000000000,
      expressionType: 'TAG',
      classFilterMode: false,
    })),
  };
}

function managerWith(): ConsumerManager {
  const consumers = new ConsumerManager();
  consumers.registerConsumer(consumer('cg', ['T', '%RETRY%cg']), {
    connectionId: '127.0.0.1:50001',
    clientId: '10.0.0.5@1#2',
    language: 'JAVA',
    version: 513,
    lastUpdateMs: 0,
  });
  consumers.registerConsumer(consumer('other', ['U']), {
    connectionId: '127.0.0.1:50002',
    clientId: '10.0.0.6@1#2',
    language: 'GO',
    version: 317,
    lastUpdateMs: 0,
  });
  return consumers;
}

describe('admin: consumer connection', () => {
  it("lists the group's clients and subscriptions in fastjson's field order", () => {
    const group = managerWith().group('cg');
    expect(group).toBeDefined();
    const body = encodeConsumerConnection(buildConsumerConnection(group!)).toString();
    expect(body).toBe(
      '{"connectionSet":[{"clientAddr":"127.0.0.1:50001","clientId":"10.0.0.5@1#2","language":"JAVA",' +
        '"version":513}],"consumeFromWhere":"CONSUME_FROM_FIRST_OFFSET","consumeType":"CONSUME_PASSIVELY",' +
        '"messageModel":"CLUSTERING","subscriptionTable":{"T":{"classFilterMode":false,"codeSet":[2598919],' +
        '"expressionType":"TAG","subString":"TagA","subVersion":1700000000000,"tagsSet":["TagA"],"topic":"T"},' +
        '"%RETRY%cg":{"classFilterMode":false,"codeSet":[2598919],"expressionType":"TAG","subString":"TagA",' +
        '"subVersion":1700000000000,"tagsSet":["TagA"],"topic":"%RETRY%cg"}}}',
    );
  });

  it('finds who consumes a topic: online subscribers and groups with its offsets', () => {
    const consumers = managerWith();
    const online = consumers.groupNames().map((name) => consumers.group(name)!);
    expect(topicConsumers('T', online, ['offline_group', 'cg'])).toEqual(['cg', 'offline_group']);
    expect(topicConsumers('U', online, [])).toEqual(['other']);
    expect(topicConsumers('V', online, [])).toEqual([]);
    expect(encodeGroupList(['a', 'b']).toString()).toBe('{"groupList":["a","b"]}');
  });
});
