// Specification of the offset-reset rules: the server-side reset (resetOffsetInner) and the
// client-side one (Broker2Client#resetOffset), with Java's codes and remarks, and the bodies.

import { describe, expect, it } from 'vitest';
import {
  encodeResetOffsetBody,
  planClientReset,
  planServerSideReset,
  resetClientOffsetHeader,
  type ResetOffsetRequest,
  type ResetOffsetStore,
} from '../../../ts/broker/domain/admin/reset-offset.js';
import { newTopicConfig } from '../../../ts/broker/domain/meta/topic-config-manager.js';
import { ResponseCode } from '../../../ts/remoting/codes.js';
import { inRemoting } from '../in-remoting.js';

/** Queue q holds [min, max); messages stored at time 100 * offset. */
const store: ResetOffsetStore = {
  getMinOffsetInQueue: (_topic, queueId) => (queueId === 1 ? 2 : 0),
  getMaxOffsetInQueue: () => 10,
  getOffsetInQueueByTime: (_topic, queueId, timestampMs) =>
    Math.max(queueId === 1 ? 2 : 0, Math.min(10, Math.ceil(timestampMs / 100))),
};

const topicConfig = newTopicConfig('T', { readQueueNums: 2, writeQueueNums: 3 });

function request(overrides: Partial<ResetOffsetRequest> = {}): ResetOffsetRequest {
  return { topic: 'T', group: 'g', queueId: -1, offset: -1, timestamp: 450, isForce: true, ...overrides };
}

function serverSide(
  overrides: Partial<ResetOffsetRequest> = {},
  context: { topic?: boolean; group?: boolean; slave?: boolean } = {},
) {
  return inRemoting(
    planServerSideReset({
      request: request(overrides),
      topicConfig: context.topic === false ? undefined : topicConfig,
      groupExists: context.group ?? true,
      slave: context.slave ?? false,
      store,
    }),
  );
}

describe('admin: server-side offset reset', () => {
  it('resets every readable queue to the offset at the timestamp (max offset for a negative one)', () => {
    expect(serverSide()).toEqual({
      ok: true,
      offsets: new Map([
        [0, 5],
        [1, 5],
      ]),
    });
    expect(serverSide({ timestamp: 0 })).toEqual({
      ok: true,
      offsets: new Map([
        [0, 0],
        [1, 2],
      ]),
    });
    expect(serverSide({ timestamp: -1 })).toEqual({
      ok: true,
      offsets: new Map([
        [0, 10],
        [1, 10],
      ]),
    });
  });

  it('resets one queue to a given offset inside [min, max + 1]', () => {
    expect(serverSide({ queueId: 1, offset: 11 })).toEqual({ ok: true, offsets: new Map([[1, 11]]) });
    expect(serverSide({ queueId: 1, offset: null, timestamp: 300 })).toEqual({ ok: true, offsets: new Map([[1, 3]]) });
    expect(serverSide({ queueId: 1, offset: 1 })).toEqual({
      ok: false,
      code: ResponseCode.SYSTEM_ERROR,
      remark: 'Target offset 1 not in consume queue range [2-10]',
    });
    expect(serverSide({ queueId: 0, offset: 12 })).toMatchObject({
      ok: false,
      remark: 'Target offset 12 not in consume queue range [0-10]',
    });
  });

  it("refuses with Java's codes: slave, unknown topic, unknown group", () => {
    expect(serverSide({}, { slave: true })).toEqual({
      ok: false,
      code: ResponseCode.SYSTEM_ERROR,
      remark: 'Can not reset offset in slave broker',
    });
    expect(serverSide({}, { topic: false })).toEqual({
      ok: false,
      code: ResponseCode.TOPIC_NOT_EXIST,
      remark: 'Topic T does not exist',
    });
    expect(serverSide({}, { group: false })).toEqual({
      ok: false,
      code: ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
      remark: 'Group g does not exist',
    });
  });
});

describe('admin: client-side offset reset (Broker2Client)', () => {
  const committed = [7, 3, 9];
  function clientSide(
    overrides: Partial<ResetOffsetRequest> = {},
    versions: number[] = [513],
    offsets = committed,
    topic = true,
  ) {
    return inRemoting(
      planClientReset({
        request: request(overrides),
        topicConfig: topic ? topicConfig : undefined,
        consumerOffset: (queueId) => offsets[queueId] ?? -1,
        clientVersions: versions,
        store,
      }),
    );
  }

  it('computes every writable queue; without force an offset only moves back', () => {
    expect(clientSide()).toEqual({
      ok: true,
      offsets: new Map([
        [0, 5],
        [1, 5],
        [2, 5],
      ]),
    });
    expect(clientSide({ isForce: false })).toEqual({
      ok: true,
      offsets: new Map([
        [0, 5],
        [1, 3],
        [2, 5],
      ]),
    });
    expect(clientSide({ timestamp: -1 })).toEqual({
      ok: true,
      offsets: new Map([
        [0, 10],
        [1, 10],
        [2, 10],
      ]),
    });
  });

  it('needs the topic, a committed offset on every queue and online clients that are recent enough', () => {
    expect(clientSide({}, [513], committed, false)).toEqual({
      ok: false,
      code: ResponseCode.TOPIC_NOT_EXIST,
      remark: '[reset-offset] reset offset failed, no topic in this broker. topic=T',
    });
    expect(clientSide({}, [513], [7, -1, 9])).toEqual({
      ok: false,
      code: ResponseCode.SYSTEM_ERROR,
      remark: 'THe consumer group <g> not exist',
    });
    expect(clientSide({}, [])).toEqual({
      ok: false,
      code: ResponseCode.CONSUMER_NOT_ONLINE,
      remark: 'Consumer not online, so can not reset offset, Group: g Topic: T Timestamp: 450',
    });
    expect(clientSide({}, [513, 20])).toEqual({
      ok: false,
      code: ResponseCode.SYSTEM_ERROR,
      remark: 'the client does not support this feature. version=20',
    });
  });
});

describe('admin: reset offset bodies', () => {
  it('encodes the ResetOffsetBody with MessageQueue keys', () => {
    expect(
      encodeResetOffsetBody(
        'T',
        'broker-a',
        new Map([
          [0, 5],
          [3, 0],
        ]),
      ).toString(),
    ).toBe(
      '{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"T"}:5,' +
        '{"brokerName":"broker-a","queueId":3,"topic":"T"}:0}}',
    );
  });

  it('fills the RESET_CONSUMER_CLIENT_OFFSET header as Broker2Client does (isForce is required by the client)', () => {
    expect(resetClientOffsetHeader(request({ isForce: true, timestamp: 123 }))).toEqual({
      group: 'g',
      topic: 'T',
      queueId: '-1',
      timestamp: '123',
      isForce: 'false',
    });
  });
});
