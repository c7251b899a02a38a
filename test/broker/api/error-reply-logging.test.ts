// Error replies through the Remoting dispatcher (issue 25, finding 7): a store failure behind a SEND's
// UNKNOWN_ERROR is logged once with its cause, and the remark carries no server path.

import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../ts/common/logger.js';
import { RequestCode, ResponseCode } from '../../../ts/remoting/codes.js';
import type { RemotingCommand } from '../../../ts/remoting/remoting-command.js';
import type { RemotingConnection } from '../../../ts/remoting/remoting-connection.js';
import { RequestDispatcher } from '../../../ts/remoting/request-dispatcher.js';
import { StoreError, StoreErrorCode } from '../../../ts/store/store-errors.js';
import { handlerBroker, sendV2, settle } from './handler-fixtures.js';

describe('error replies: logged once with their cause', () => {
  it('answers a store I/O failure UNKNOWN_ERROR without its path and logs the store error once', async () => {
    const broker = handlerBroker();
    const secret = '/var/lib/secret-store/commitlog/00000000000000000000';
    broker.store.append = () => {
      throw new StoreError(StoreErrorCode.IO, `write failed: ${secret}: Too many open files`);
    };
    const logger = createMemoryLogger();
    const dispatcher = new RequestDispatcher(logger);
    dispatcher.register([RequestCode.SEND_MESSAGE_V2], (request) => broker.call(request));
    const sent: RemotingCommand[] = [];
    const connection = { remoteAddress: '127.0.0.1:5', send: (reply: RemotingCommand) => sent.push(reply) > 0 };
    dispatcher.dispatch(sendV2('TopicA', 0, 'x'), connection as unknown as RemotingConnection);
    for (let n = 0; n < 10 && sent.length === 0; n++) await settle(broker.clock);

    expect(sent).toHaveLength(1);
    expect(sent[0]?.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(sent[0]?.remark).toBe('UNKNOWN_ERROR');
    const logged = logger.lines.filter((line) => line.message === 'request processor failed');
    expect(logged).toHaveLength(1);
    expect(String(logged[0]?.fields?.cause)).toContain('StoreError');
    expect(String(logged[0]?.fields?.cause)).toContain(secret);
  });
});
