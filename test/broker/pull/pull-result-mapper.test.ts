// Specification of the pull answer: every GetMessageStatus maps to Java's response code, remark and
// nextBeginOffset (master and slave), the response header always carries its required fields, and
// when a pull is held or commits its offset.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  getMessageStatusName,
  mapPullResult,
  pullResponseExtFields,
  shouldCommitOffset,
  shouldHoldPull,
  type PullStoreResult,
} from '../../../ts/broker/domain/pull/pull-result-mapper.js';
import { ResponseCode } from '../../../ts/remoting/codes.js';
import { PULL_STATUS_RESPONSE_CODES } from '../../../ts/broker/api/pull-handler.js';
import { PullStatus, type PullOutcome } from '../../../ts/broker/domain/pull/pull-result-mapper.js';

/** A pull outcome as the Remoting front answers it: the pull status as its response code. */
function inRemoting({ status, ...rest }: PullOutcome): Omit<PullOutcome, 'status'> & { responseCode: number } {
  return { responseCode: PULL_STATUS_RESPONSE_CODES[status], ...rest };
}
import { GetMessageStatus } from '../../../ts/store/message-store-api.js';

const S = GetMessageStatus;
const { SUCCESS, PULL_NOT_FOUND: NOT_FOUND, PULL_RETRY_IMMEDIATELY: RETRY, PULL_OFFSET_MOVED: MOVED } = ResponseCode;

/** A queue holding [10, 20): the store's nextBeginOffset as DefaultMessageStore#getMessage computes it on a master. */
const cases: Array<{
  status: GetMessageStatus;
  request: number;
  storeNext: number;
  min: number;
  max: number;
  code: number;
}> = [
  { status: S.FOUND, request: 12, storeNext: 15, min: 10, max: 20, code: SUCCESS },
  { status: S.NO_MATCHED_MESSAGE, request: 12, storeNext: 20, min: 10, max: 20, code: RETRY },
  { status: S.MESSAGE_WAS_REMOVING, request: 12, storeNext: 16, min: 10, max: 20, code: RETRY },
  { status: S.OFFSET_FOUND_NULL, request: 12, storeNext: 12, min: 10, max: 20, code: NOT_FOUND },
  { status: S.OFFSET_OVERFLOW_ONE, request: 20, storeNext: 20, min: 10, max: 20, code: NOT_FOUND },
  { status: S.OFFSET_OVERFLOW_BADLY, request: 25, storeNext: 20, min: 10, max: 20, code: MOVED },
  { status: S.OFFSET_TOO_SMALL, request: 3, storeNext: 10, min: 10, max: 20, code: MOVED },
  { status: S.NO_MESSAGE_IN_QUEUE, request: 0, storeNext: 0, min: 0, max: 0, code: NOT_FOUND },
  { status: S.NO_MESSAGE_IN_QUEUE, request: 5, storeNext: 0, min: 0, max: 0, code: MOVED },
  { status: S.NO_MATCHED_LOGIC_QUEUE, request: 0, storeNext: 0, min: 0, max: 0, code: NOT_FOUND },
  { status: S.NO_MATCHED_LOGIC_QUEUE, request: 5, storeNext: 0, min: 0, max: 0, code: MOVED },
];

const storeResult = (c: (typeof cases)[number]): PullStoreResult => ({
  status: c.status,
  nextBeginOffset: c.storeNext,
  minOffset: c.min,
  maxOffset: c.max,
});

describe('pull: store status → response', () => {
  it('covers every GetMessageStatus', () => {
    expect(new Set(cases.map((c) => c.status))).toEqual(new Set(Object.values(GetMessageStatus)));
  });

  it.each(cases.map((c) => [getMessageStatusName(c.status), c.request, c] as const))(
    'on a master: %s at offset %i',
    (name, _request, c) => {
      expect(inRemoting(mapPullResult(storeResult(c), { requestOffset: c.request }))).toEqual({
        responseCode: c.code,
        remark: name,
        nextBeginOffset: c.storeNext,
        minOffset: c.min,
        maxOffset: c.max,
        suggestWhichBrokerId: 0,
      });
    },
  );

  it('names each status as Java does', () => {
    for (const [name, ordinal] of Object.entries(GetMessageStatus)) expect(getMessageStatusName(ordinal)).toBe(name);
  });

  it('on a slave without offsetCheckInSlave: does not move the request offset, retries at the group broker', () => {
    const options = { brokerRole: 'SLAVE' as const, groupBrokerId: 1 };
    const tooSmall = { status: S.OFFSET_TOO_SMALL, nextBeginOffset: 10, minOffset: 10, maxOffset: 20 };
    expect(inRemoting(mapPullResult(tooSmall, { ...options, requestOffset: 3 }))).toMatchObject({
      responseCode: RETRY,
      nextBeginOffset: 3,
      suggestWhichBrokerId: 1,
    });
    const badly = { status: S.OFFSET_OVERFLOW_BADLY, nextBeginOffset: 20, minOffset: 10, maxOffset: 20 };
    expect(inRemoting(mapPullResult(badly, { ...options, requestOffset: 25 }))).toMatchObject({
      responseCode: RETRY,
      nextBeginOffset: 25,
    });
    const found = { status: S.FOUND, nextBeginOffset: 15, minOffset: 10, maxOffset: 20 };
    expect(inRemoting(mapPullResult(found, { ...options, requestOffset: 12 }))).toMatchObject({
      responseCode: SUCCESS,
      nextBeginOffset: 15,
      suggestWhichBrokerId: 0,
    });
    expect(
      inRemoting(mapPullResult(tooSmall, { ...options, offsetCheckInSlave: true, requestOffset: 3 })),
    ).toMatchObject({
      responseCode: MOVED,
      nextBeginOffset: 10,
      suggestWhichBrokerId: 0,
    });
  });
});

describe('pull: response header', () => {
  // docs/remoting-protocol.md §6 pitfall 3.
  it('always carries suggestWhichBrokerId, nextBeginOffset, minOffset, maxOffset as strings', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(GetMessageStatus)),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (status, request, next, min, max) => {
          const fields = pullResponseExtFields(
            mapPullResult(
              { status, nextBeginOffset: next, minOffset: min, maxOffset: max },
              { requestOffset: request },
            ),
          );
          for (const key of [
            'suggestWhichBrokerId',
            'nextBeginOffset',
            'minOffset',
            'maxOffset',
            'topicSysFlag',
            'groupSysFlag',
          ]) {
            expect(typeof fields[key]).toBe('string');
            expect(fields[key]).toMatch(/^\d+$/);
          }
          expect(fields['nextBeginOffset']).toBe(String(next));
          expect(fields['minOffset']).toBe(String(min));
          expect(fields['maxOffset']).toBe(String(max));
        },
      ),
    );
  });

  it('adds the optional fields only when given', () => {
    const outcome = mapPullResult(storeResult(cases[0]!), { requestOffset: 12 });
    expect(pullResponseExtFields(outcome)).toEqual({
      suggestWhichBrokerId: '0',
      nextBeginOffset: '15',
      minOffset: '10',
      maxOffset: '20',
      topicSysFlag: '0',
      groupSysFlag: '0',
    });
    expect(
      pullResponseExtFields(outcome, { topicSysFlag: 1, groupSysFlag: 2, offsetDelta: 3, forbiddenType: 4 }),
    ).toMatchObject({
      topicSysFlag: '1',
      groupSysFlag: '2',
      offsetDelta: '3',
      forbiddenType: '4',
    });
  });
});

describe('pull: hold and commit decisions', () => {
  it('holds only a PULL_NOT_FOUND with the suspend bit on the first pass', () => {
    expect(shouldHoldPull(PullStatus.NO_NEW_MSG, 0x2, true)).toBe(true);
    expect(shouldHoldPull(PullStatus.NO_NEW_MSG, 0x3, true)).toBe(true);
    expect(shouldHoldPull(PullStatus.NO_NEW_MSG, 0x2, false)).toBe(false);
    expect(shouldHoldPull(PullStatus.NO_NEW_MSG, 0x1, true)).toBe(false);
    expect(shouldHoldPull(PullStatus.NO_MATCHED_MSG, 0x2, true)).toBe(false);
    expect(shouldHoldPull(PullStatus.OFFSET_ILLEGAL, 0x2, true)).toBe(false);
    expect(shouldHoldPull(PullStatus.FOUND, 0x2, true)).toBe(false);
  });

  it('commits the offset only with the commit bit on the first pass', () => {
    expect(shouldCommitOffset(0x3, true)).toBe(true);
    expect(shouldCommitOffset(0x3, false)).toBe(false);
    expect(shouldCommitOffset(0x2, true)).toBe(false);
  });
});

describe('slaveReadEnable: which broker a pull suggests (docs/replication.md §6)', () => {
  const found: PullStoreResult = {
    status: S.FOUND,
    nextBeginOffset: 15,
    minOffset: 10,
    maxOffset: 20,
  };

  it('suggests the master without slaveReadEnable', () => {
    expect(mapPullResult(found, { requestOffset: 12, groupBrokerId: 1 }).suggestWhichBrokerId).toBe(0);
  });

  it("suggests the group's brokerId, or whichBrokerWhenConsumeSlowly for a consumer that lags", () => {
    const slaveRead = (consumingSlowly: boolean) => ({ whichBrokerWhenConsumeSlowly: 2, consumingSlowly });
    const ok = mapPullResult(found, { requestOffset: 12, groupBrokerId: 1, slaveRead: slaveRead(false) });
    expect(ok.suggestWhichBrokerId).toBe(1);
    const slow = mapPullResult(found, { requestOffset: 12, groupBrokerId: 0, slaveRead: slaveRead(true) });
    expect(slow.suggestWhichBrokerId).toBe(2);
  });
});
