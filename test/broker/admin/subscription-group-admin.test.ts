// Specification of the subscription-group admin rules: the request bodies, Java's attribute
// alteration, and the pages of GET_ALL_SUBSCRIPTIONGROUP_CONFIG.

import { describe, expect, it } from 'vitest';
import {
  alterAttributes,
  decodeSubscriptionGroupBody,
  decodeSubscriptionGroupListBody,
  SPLIT_METADATA_SIZE,
  subscriptionGroupPage,
} from '../../../ts/broker/domain/admin/subscription-group-admin.js';
import {
  newSubscriptionGroupConfig,
  type SubscriptionGroupDocument,
} from '../../../ts/broker/domain/meta/subscription-group-manager.js';

/** The body `mqadmin updateSubGroup -g g1 -r 5 -q 2 -s false` sends (SubscriptionGroupConfig, fastjson). */
const UPDATE_SUB_GROUP_BODY =
  '{"attributes":{},"brokerId":0,"consumeBroadcastEnable":false,"consumeEnable":false,"consumeFromMinEnable":false,' +
  '"consumeMessageOrderly":false,"consumeTimeoutMinute":15,"groupName":"g1",' +
  '"groupRetryPolicy":{"type":"CUSTOMIZED"},"groupSysFlag":0,"notifyConsumerIdsChangedEnable":true,' +
  '"retryMaxTimes":5,"retryQueueNums":2,"whichBrokerWhenConsumeSlowly":1}';

describe('admin: subscription group bodies', () => {
  it('decodes the config mqadmin sends, and the list form', () => {
    const config = decodeSubscriptionGroupBody(Buffer.from(UPDATE_SUB_GROUP_BODY));
    expect(config).toEqual(
      newSubscriptionGroupConfig('g1', {
        consumeBroadcastEnable: false,
        consumeEnable: false,
        consumeFromMinEnable: false,
        retryMaxTimes: 5,
        retryQueueNums: 2,
      }),
    );
    expect(decodeSubscriptionGroupBody(null)).toBeNull();
    const list = decodeSubscriptionGroupListBody(
      Buffer.from(`{"groupConfigList":[${UPDATE_SUB_GROUP_BODY},{"groupName":"g2"}]}`),
    );
    expect(list.map((group) => group.groupName)).toEqual(['g1', 'g2']);
    expect(list[1]).toEqual(newSubscriptionGroupConfig('g2'));
  });
});

describe('admin: subscription group attributes', () => {
  const known = new Set(['a', 'b']);

  it('adds, updates and deletes with +key / -key', () => {
    expect(alterAttributes(true, {}, { '+a': '1' }, known)).toEqual({ a: '1' });
    expect(alterAttributes(false, { a: '1', b: '2' }, { '+a': '9', '-b': '' }, known)).toEqual({ a: '9' });
    expect(alterAttributes(false, { a: '1' }, {}, known)).toEqual({ a: '1' });
  });

  it("refuses with Java's messages", () => {
    expect(() => alterAttributes(true, {}, { '-a': '' }, known)).toThrow(
      'only add attribute is supported while creating topic. key: a',
    );
    expect(() => alterAttributes(false, {}, { '-a': '' }, known)).toThrow('attempt to delete a nonexistent key: a');
    expect(() => alterAttributes(false, {}, { xa: '' }, known)).toThrow('wrong format key: a');
    expect(() => alterAttributes(false, {}, { '+a+': '' }, known)).toThrow('kv string format wrong.');
    expect(() => alterAttributes(false, {}, { '+a': '1', '-a': '' }, known)).toThrow('alter duplication key. key: a');
    // 5.x defines no subscription group attribute at all.
    expect(() => alterAttributes(true, {}, { '+foo': 'bar' })).toThrow('unsupported key: foo');
  });
});

describe('admin: subscription group pages', () => {
  const dataVersion = { counter: 3, stateVersion: 0, timestamp: 1700000000000 };
  const document: SubscriptionGroupDocument = {
    dataVersion,
    forbiddenTable: { b: { T: 1 } },
    subscriptionGroupTable: Object.fromEntries(
      ['c', 'a', 'b', 'd'].map((name) => [name, newSubscriptionGroupConfig(name)]),
    ),
  };
  const current = JSON.stringify(dataVersion);

  it('answers the whole table when the client asks for no page', () => {
    expect(subscriptionGroupPage(document, {})).toBe(document);
  });

  it('answers the groups [groupSeq, groupSeq + maxGroupNum) in name order, with their forbidden entries', () => {
    const page = subscriptionGroupPage(document, { dataVersion: current, groupSeq: 1, maxGroupNum: 2 });
    expect(Object.keys(page.subscriptionGroupTable)).toEqual(['b', 'c']);
    expect(page.forbiddenTable).toEqual({ b: { T: 1 } });
    expect(page.dataVersion).toEqual(dataVersion);
    expect(
      Object.keys(
        subscriptionGroupPage(document, { dataVersion: current, groupSeq: 4, maxGroupNum: 2 }).subscriptionGroupTable,
      ),
    ).toEqual([]);
  });

  it('starts over from the first group when the data version is empty or stale', () => {
    const first = subscriptionGroupPage(document, { dataVersion: '', groupSeq: 2, maxGroupNum: 2 });
    expect(Object.keys(first.subscriptionGroupTable)).toEqual(['a', 'b']);
    const stale = subscriptionGroupPage(document, {
      dataVersion: JSON.stringify({ ...dataVersion, counter: 2 }),
      groupSeq: 2,
      maxGroupNum: 2,
    });
    expect(Object.keys(stale.subscriptionGroupTable)).toEqual(['a', 'b']);
  });

  it('caps a page at splitMetadataSize groups', () => {
    const many: SubscriptionGroupDocument = {
      ...document,
      subscriptionGroupTable: Object.fromEntries(
        Array.from({ length: SPLIT_METADATA_SIZE + 5 }, (_, i) => [
          `g${String(i).padStart(5, '0')}`,
          newSubscriptionGroupConfig(`g${i}`),
        ]),
      ),
    };
    expect(
      Object.keys(
        subscriptionGroupPage(many, { dataVersion: '', groupSeq: 0, maxGroupNum: 100_000 }).subscriptionGroupTable,
      ),
    ).toHaveLength(SPLIT_METADATA_SIZE);
  });
});
