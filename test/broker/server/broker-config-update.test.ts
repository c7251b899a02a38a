// UPDATE_BROKER_CONFIG (25) over TCP on a broker started from a broker.conf: the value is served at once
// by GET_BROKER_CONFIG (26), written into the file, and a broker restarted from the file has it.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBrokerConf } from '../../../ts/broker/server/broker-config.js';
import { decodePropertiesText, encodePropertiesText } from '../../../ts/protocol/properties-text.js';
import { RequestCode, ResponseCode } from '../../../ts/remoting/codes.js';
import { createRequest } from '../../../ts/remoting/remoting-command.js';
import { type CleanupStep, runCleanup, startTestBroker, testClient } from './broker-fixtures.js';

const cleanup: CleanupStep[] = [];
afterEach(() => runCleanup(cleanup));

describe('broker: UPDATE_BROKER_CONFIG across a restart', () => {
  it('persists the update into the broker.conf the broker started from', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-conf-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'broker.conf');
    writeFileSync(path, '# test broker\nbrokerName=broker-a\nfileReservedTime=48\n');
    const fromFile = () => ({ brokerConfigPath: path, fileReservedTime: loadBrokerConf(path).config.fileReservedTime });
    const client = testClient(cleanup);
    const first = await startTestBroker(cleanup, fromFile());
    const body = encodePropertiesText({ fileReservedTime: '96' });
    const reply = await client.invoke(first.brokerAddr, createRequest(RequestCode.UPDATE_BROKER_CONFIG, {}, body));
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    const live = await client.invoke(first.brokerAddr, createRequest(RequestCode.GET_BROKER_CONFIG));
    expect(decodePropertiesText(live.body)['fileReservedTime']).toBe('96');
    expect(readFileSync(path, 'utf8')).toBe('# test broker\nbrokerName=broker-a\nfileReservedTime=96\n');
    await first.stop();

    const second = await startTestBroker(cleanup, fromFile());
    const restarted = await client.invoke(second.brokerAddr, createRequest(RequestCode.GET_BROKER_CONFIG));
    expect(decodePropertiesText(restarted.body)).toMatchObject({ fileReservedTime: '96', brokerConfigPath: path });
  }, 60_000);
});
