// Specification of the Remoting front's error table: every BrokerErrorCode has Java's response code,
// a BrokerError answers its code and message, anything else is left to the server (SYSTEM_ERROR).

import { describe, expect, it } from 'vitest';
import { BROKER_ERROR_RESPONSE_CODES, brokerErrorResponse } from '../../../ts/broker/api/broker-error-responses.js';
import { BrokerError, BrokerErrorCode } from '../../../ts/broker/domain/broker-error.js';
import { AppendBatcher } from '../../../ts/broker/infra/append-batcher.js';
import { ResponseCode } from '../../../ts/remoting/codes.js';
import { goldenMessage } from '../../store/store-fixtures.js';
import { FakeScheduler } from '../../support/fake-scheduler.js';

describe('api: BrokerError → response code', () => {
  it('maps every failure kind to the response code of the same name', () => {
    for (const code of Object.values(BrokerErrorCode)) {
      expect(BROKER_ERROR_RESPONSE_CODES[code]).toBe(ResponseCode[code]);
    }
  });

  it("answers a BrokerError with its code and message, the request's opaque kept", () => {
    const error = new BrokerError(BrokerErrorCode.TOPIC_NOT_EXIST, 'topic[T] not exist');
    const reply = brokerErrorResponse({ opaque: 7 }, error);
    expect(reply).toMatchObject({ opaque: 7, code: ResponseCode.TOPIC_NOT_EXIST, remark: 'topic[T] not exist' });
  });

  it('answers a full append queue SYSTEM_BUSY and rethrows anything else', async () => {
    // The batcher's refusal when its queue is full (here: a bound of 0 pending messages).
    const store = (): never => {
      throw new Error('a refused request never reaches the store');
    };
    const refused = new AppendBatcher(store, new FakeScheduler(), 0).append([goldenMessage()]);
    const error: unknown = await refused.catch((rejected: unknown) => rejected);
    const remark = '[OVERLOAD]system busy, start flow control for a while';
    expect(error).toBeInstanceOf(BrokerError);
    expect(error).toMatchObject({ code: BrokerErrorCode.SYSTEM_BUSY, message: remark });
    const busy = brokerErrorResponse({ opaque: 1 }, error);
    expect(busy).toMatchObject({ code: ResponseCode.SYSTEM_BUSY, remark });
    expect(() => brokerErrorResponse({ opaque: 1 }, new Error('boom'))).toThrow('boom');
  });
});
