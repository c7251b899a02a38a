// Specification of client management (pure domain, injected clock): HEART_BEAT bodies as the Java
// client sends them, consumer groups with membership and subscription changes, unregistration,
// closed connections and silent clients, and producer groups.

import { describe, expect, it } from 'vitest';
import { ConsumerManager } from '../../../ts/broker/domain/client/consumer-manager.js';
import { decodeHeartbeatData, type ConsumerData } from '../../../ts/broker/domain/client/heartbeat-data.js';
import { ProducerManager } from '../../../ts/broker/domain/client/producer-manager.js';

const JAVA_HEARTBEAT =
  '{"clientID":"10.0.0.5@12345#9876","producerDataSet":[{"groupName":"pg"},{"groupName":"CLIENT_INNER_PRODUCER"}],' +
  '"consumerDataSet":[{"groupName":"cg","consumeType":"CONSUME_PASSIVELY","messageModel":"CLUSTERING",' +
  '"consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","subscriptionDataSet":[{"classFilterMode":false,"topic":"T",' +
  '"subString":"*","tagsSet":[],"codeSet":[],"subVersion":1700000000000,"expressionType":"TAG"}],"unitMode":false}],' +
  '"heartbeatFingerprint":0,"withoutSub":false}';

function channel(clientId: string, connectionId: string, lastUpdateMs = 0) {
  return { clientId, connectionId, language: 'JAVA', version: 479, lastUpdateMs };
}

function consumer(group: string, topics: Record<string, number>): ConsumerData {
  return {
    groupName: group,
    consumeType: 'CONSUME_PASSIVELY',
    messageModel: 'CLUSTERING',
    consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
    unitMode: false,
    subscriptionDataSet: Object.entries(topics).map(([topic, subVersion]) => ({
      topic,
      subString: '*',
      tagsSet: [],
      codeSet: [],
      subVersion,
      expressionType: 'TAG',
      classFilterMode: false,
    })),
  };
}

describe('broker: heartbeat data', () => {
  it('decodes the Java client heartbeat', () => {
    const data = decodeHeartbeatData(Buffer.from(JAVA_HEARTBEAT));
    expect(data.clientID).toBe('10.0.0.5@12345#9876');
    expect(data.producerDataSet.map((p) => p.groupName)).toEqual(['pg', 'CLIENT_INNER_PRODUCER']);
    expect(data.consumerDataSet[0]).toMatchObject({ groupName: 'cg', messageModel: 'CLUSTERING' });
    expect(data.consumerDataSet[0]?.subscriptionDataSet[0]).toMatchObject({
      topic: 'T',
      subString: '*',
      subVersion: 1700000000000,
    });
  });

  it('refuses a body that is not a heartbeat', () => {
    expect(() => decodeHeartbeatData(Buffer.from('[]'))).toThrow('no clientID');
    expect(() => decodeHeartbeatData(null)).toThrow('not a JSON object');
  });
});

describe('broker: consumer groups', () => {
  it('reports membership changes, not repeated heartbeats', () => {
    const consumers = new ConsumerManager();
    expect(consumers.registerConsumer(consumer('cg', { T: 1 }), channel('c1', 'conn1'))).toEqual({
      group: 'cg',
      membershipChanged: true,
      subscriptionChanged: true,
    });
    expect(consumers.registerConsumer(consumer('cg', { T: 1 }), channel('c1', 'conn1', 10)).membershipChanged).toBe(
      false,
    );
    expect(consumers.registerConsumer(consumer('cg', { T: 1 }), channel('c2', 'conn2')).membershipChanged).toBe(true);
    expect(consumers.consumerIdList('cg')).toEqual(['c1', 'c2']);
  });

  it('keeps the newest subscription and drops topics no longer subscribed', () => {
    const consumers = new ConsumerManager();
    consumers.registerConsumer(consumer('cg', { T: 5, U: 5 }), channel('c1', 'conn1'));
    expect(consumers.registerConsumer(consumer('cg', { T: 4, U: 5 }), channel('c1', 'conn1')).subscriptionChanged).toBe(
      false,
    );
    expect(consumers.subscription('cg', 'T')?.subVersion).toBe(5);
    expect(consumers.registerConsumer(consumer('cg', { T: 6 }), channel('c1', 'conn1')).subscriptionChanged).toBe(true);
    expect(consumers.subscription('cg', 'U')).toBeUndefined();
  });

  it('drops clients that unregister, disconnect or go silent', () => {
    const consumers = new ConsumerManager(1000);
    consumers.registerConsumer(consumer('cg', { T: 1 }), channel('c1', 'conn1', 0));
    consumers.registerConsumer(consumer('cg', { T: 1 }), channel('c2', 'conn2', 500));
    consumers.registerConsumer(consumer('other', { T: 1 }), channel('c3', 'conn3', 500));
    expect(consumers.scanNotActiveChannels(1200)).toEqual([
      { group: 'cg', membershipChanged: true, subscriptionChanged: false },
    ]);
    expect(consumers.consumerIdList('cg')).toEqual(['c2']);
    expect(consumers.onConnectionClosed('conn3').map((c) => c.group)).toEqual(['other']);
    expect(consumers.groupNames()).toEqual(['cg']);
    expect(consumers.unregisterConsumer('cg', 'c2')?.membershipChanged).toBe(true);
    expect(consumers.groupNames()).toEqual([]);
    expect(consumers.unregisterConsumer('cg', 'c2')).toBeNull();
  });
});

describe('broker: producer groups', () => {
  it('offers the freshest live channel of a group', () => {
    const producers = new ProducerManager(1000);
    producers.registerProducer('pg', channel('p1', 'conn1', 100));
    producers.registerProducer('pg', channel('p2', 'conn2', 200));
    expect(producers.availableChannel('pg')?.clientId).toBe('p2');
    producers.onConnectionClosed('conn2');
    expect(producers.availableChannel('pg')?.clientId).toBe('p1');
    producers.scanNotActiveChannels(5000);
    expect(producers.availableChannel('pg')).toBeUndefined();
  });
});
