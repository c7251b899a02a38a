import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BrokerConfigError,
  commitLogDir,
  defaultBrokerConfig,
  loadBrokerConf,
  parseBrokerConf,
  parseProperties,
  type HostFacts,
} from '../../ts/broker/server/broker-config.js';

const HOST: HostFacts = { hostname: 'host1', homeDir: '/home/mq', namesrvAddrEnv: undefined, firstIpv4: '10.0.0.5' };
const defaults = defaultBrokerConfig(HOST);

describe('broker config: defaults', () => {
  it('uses RocketMQ names and defaults', () => {
    expect(defaults).toMatchObject({
      brokerClusterName: 'DefaultCluster',
      brokerName: 'host1',
      brokerId: 0,
      namesrvAddr: '',
      listenPort: 10911,
      brokerIP1: '10.0.0.5',
      storePathRootDir: join('/home/mq', 'store'),
      flushDiskType: 'ASYNC_FLUSH',
      brokerRole: 'ASYNC_MASTER',
      autoCreateTopicEnable: true,
      autoCreateSubscriptionGroup: true,
      defaultTopicQueueNums: 8,
      maxMessageSize: 4194304,
      deleteWhen: '04',
      fileReservedTime: 72,
      transientStorePoolEnable: false,
      registerBrokerTimeoutMills: 24000,
      registerNameServerPeriod: 30000,
      longPollingEnable: true,
      flushConsumerOffsetInterval: 5000,
    });
    expect(commitLogDir(defaults)).toBe(join('/home/mq', 'store', 'commitlog'));
  });

  it('takes NAMESRV_ADDR, falls back to 127.0.0.1 and DEFAULT_BROKER', () => {
    const config = defaultBrokerConfig({ hostname: '', homeDir: '/h', namesrvAddrEnv: '1.2.3.4:9876', firstIpv4: undefined });
    expect(config).toMatchObject({ namesrvAddr: '1.2.3.4:9876', brokerIP1: '127.0.0.1', brokerName: 'DEFAULT_BROKER' });
  });
});

describe('broker config: broker.conf', () => {
  it('reads a typical broker.conf with comments, both separators and whitespace', () => {
    const { config, unknownKeys } = parseBrokerConf(
      [
        '# cluster',
        '! another comment',
        'brokerClusterName = DefaultCluster',
        'brokerName=broker-a',
        '  brokerId: 0',
        'deleteWhen=04',
        'fileReservedTime=48',
        'brokerRole=ASYNC_MASTER',
        'flushDiskType=SYNC_FLUSH',
        'namesrvAddr=127.0.0.1:9876;127.0.0.2:9876',
        'autoCreateTopicEnable=false',
        'storePathRootDir=/data/store',
        'listenPort 10921',
        '',
      ].join('\n'),
      defaults,
    );
    expect(unknownKeys).toEqual([]);
    expect(config).toMatchObject({
      brokerName: 'broker-a',
      brokerId: 0,
      fileReservedTime: 48,
      flushDiskType: 'SYNC_FLUSH',
      namesrvAddr: '127.0.0.1:9876;127.0.0.2:9876',
      autoCreateTopicEnable: false,
      listenPort: 10921,
    });
    expect(commitLogDir(config)).toBe(join('/data/store', 'commitlog'));
  });

  it('reports unknown keys, including the retired mapedFileSizeCommitLog', () => {
    const { unknownKeys } = parseBrokerConf('mapedFileSizeCommitLog=1024\nsendMessageThreadPoolNums=4\nbrokerId=1', defaults);
    expect(unknownKeys).toEqual(['mapedFileSizeCommitLog', 'sendMessageThreadPoolNums']);
  });

  it.each([
    ['listenPort=abc', 'listenPort', 'listenPort: "abc" is not an integer'],
    ['fileReservedTime=7.5', 'fileReservedTime', 'fileReservedTime: "7.5" is not an integer'],
    ['brokerRole=MASTER', 'brokerRole', 'brokerRole: "MASTER" is not one of ASYNC_MASTER, SYNC_MASTER, SLAVE'],
    ['autoCreateTopicEnable=yes', 'autoCreateTopicEnable', 'autoCreateTopicEnable: "yes" is not true or false'],
    ['messageDelayLevel=1s 5x', 'messageDelayLevel', 'messageDelayLevel: "1s 5x" is not a list of levels like "1s 5s 1m 2h"'],
  ])('rejects %j naming the key', (text, key, message) => {
    try {
      parseBrokerConf(text, defaults);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BrokerConfigError);
      expect((error as BrokerConfigError).key).toBe(key);
      expect((error as BrokerConfigError).message).toBe(message);
    }
  });

  it('follows .properties rules: continuations, escapes, last key wins', () => {
    const props = parseProperties(
      ['messageDelayLevel=1s 5s \\', '    10s', 'a\\=b=c', 'path=C:\\\\store', 'uni=\\u0041', 'k=1', 'k=2', '# not\\', 'next=ok'].join('\n'),
    );
    expect(props.get('messageDelayLevel')).toBe('1s 5s 10s');
    expect(props.get('a=b')).toBe('c');
    expect(props.get('path')).toBe('C:\\store');
    expect(props.get('uni')).toBe('A');
    expect(props.get('k')).toBe('2');
    expect(props.get('next')).toBe('ok');
  });

  it('loads a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'conf-'));
    try {
      const path = join(dir, 'broker.conf');
      writeFileSync(path, 'brokerName=broker-b\r\nbrokerId=1\r\nbrokerRole=SLAVE\r\n');
      expect(loadBrokerConf(path, defaults).config).toMatchObject({ brokerName: 'broker-b', brokerId: 1, brokerRole: 'SLAVE' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
