// UPDATE_BROKER_CONFIG (25) and GET_BROKER_CONFIG (26) through the handler table on the memory store:
// Java's refusal of black-listed keys, bad values refused, unknown keys ignored, a live key (maxMessageSize)
// taking effect on the next send, and values persisted into broker.conf and read back by a new broker.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBrokerConf } from '../../../ts/broker/server/broker-config.js';
import { decodePropertiesText, encodePropertiesText } from '../../../ts/protocol/properties-text.js';
import { RequestCode, ResponseCode } from '../../../ts/remoting/codes.js';
import { createRequest } from '../../../ts/remoting/remoting-command.js';
import { answer, handlerBroker, type HandlerBroker, sendV2 } from './handler-fixtures.js';

const update = (broker: HandlerBroker, table: Record<string, string>) =>
  answer(broker, createRequest(RequestCode.UPDATE_BROKER_CONFIG, {}, encodePropertiesText(table)));

const readConfig = async (broker: HandlerBroker) =>
  decodePropertiesText((await answer(broker, createRequest(RequestCode.GET_BROKER_CONFIG))).body);

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('api: UPDATE_BROKER_CONFIG', () => {
  it('applies known keys, which GET_BROKER_CONFIG then shows, and ignores unknown keys as Java does', async () => {
    const broker = handlerBroker();
    const reply = await update(broker, { sendMessageThreadPoolNums: '7', noSuchKey: 'x', brokerPermission: '4' });
    expect(reply).toMatchObject({ code: ResponseCode.SUCCESS, remark: null });
    const config = await readConfig(broker);
    expect(config['brokerPermission']).toBe('4');
    expect(config['noSuchKey']).toBeUndefined();
  });

  it("refuses a black-listed key with Java's NO_PERMISSION and remark, changing nothing", async () => {
    const broker = handlerBroker();
    for (const key of ['brokerConfigPath', 'configBlackList']) {
      const reply = await update(broker, { [key]: '/tmp/x', maxMessageSize: '1024' });
      expect(reply).toMatchObject({ code: ResponseCode.NO_PERMISSION, remark: 'Can not update config in black list.' });
    }
    expect((await readConfig(broker))['maxMessageSize']).toBe('4194304');
  });

  it('refuses a bad value with INVALID_PARAMETER naming the key, applying none of the update', async () => {
    const broker = handlerBroker();
    const reply = await update(broker, { maxMessageSize: '1024', flushDiskType: 'SOMETIMES' });
    expect(reply.code).toBe(ResponseCode.INVALID_PARAMETER);
    expect(reply.remark).toMatch(/flushDiskType: "SOMETIMES" is not one of/);
    expect((await readConfig(broker))['maxMessageSize']).toBe('4194304');
  });

  it('changes maxMessageSize for the next send at once', async () => {
    const broker = handlerBroker();
    const body = 'x'.repeat(2000);
    expect((await answer(broker, sendV2('SizeTopic', 0, body))).code).toBe(ResponseCode.SUCCESS);
    expect((await update(broker, { maxMessageSize: '1024' })).code).toBe(ResponseCode.SUCCESS);
    const refused = await answer(broker, sendV2('SizeTopic', 0, body));
    expect(refused.code).toBe(ResponseCode.MESSAGE_ILLEGAL);
  });

  it('persists into the broker.conf it started from, keeping its other lines, and a restart reads it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'broker-conf-'));
    dirs.push(dir);
    const path = join(dir, 'broker.conf');
    writeFileSync(path, '# my broker\nbrokerName=broker-a\nmaxMessageSize=65536\n\n# end\n');
    const started = loadBrokerConf(path).config;
    const broker = handlerBroker({ ...started, brokerConfigPath: path });
    const reply = await update(broker, { maxMessageSize: '131072', longPollingEnable: 'false' });
    expect(reply.code).toBe(ResponseCode.SUCCESS);
    expect(readFileSync(path, 'utf8')).toBe(
      '# my broker\nbrokerName=broker-a\nmaxMessageSize=131072\n\n# end\nlongPollingEnable=false\n',
    );
    const restarted = handlerBroker({ ...loadBrokerConf(path).config, brokerConfigPath: path });
    expect(await readConfig(restarted)).toMatchObject({ maxMessageSize: '131072', longPollingEnable: 'false' });
  });

  it('refuses the update with SYSTEM_ERROR, changing nothing, when the file cannot be written', async () => {
    const broker = handlerBroker({ brokerConfigPath: '/nonexistent/clean-rocketmq/broker.conf' });
    const reply = await update(broker, { maxMessageSize: '1024' });
    expect(reply.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(reply.remark).toMatch(/^broker config not persisted: .*ENOENT/);
    expect((await readConfig(broker))['maxMessageSize']).toBe('4194304');
  });

  it('keeps the file as it was when a value is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'broker-conf-'));
    dirs.push(dir);
    const path = join(dir, 'broker.conf');
    writeFileSync(path, 'brokerName=broker-a\n');
    const broker = handlerBroker({ brokerConfigPath: path });
    expect((await update(broker, { maxMessageSize: 'big' })).code).toBe(ResponseCode.INVALID_PARAMETER);
    expect(readFileSync(path, 'utf8')).toBe('brokerName=broker-a\n');
  });
});
