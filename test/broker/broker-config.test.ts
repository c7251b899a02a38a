import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BrokerConfigError,
  commitLogDir,
  defaultBrokerConfig,
  INERT_CONFIG_KEYS,
  inertConfigKeys,
  inertConfigWarning,
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
    const config = defaultBrokerConfig({
      hostname: '',
      homeDir: '/h',
      namesrvAddrEnv: '1.2.3.4:9876',
      firstIpv4: undefined,
    });
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
    const { unknownKeys } = parseBrokerConf(
      'mapedFileSizeCommitLog=1024\nsendMessageThreadPoolNums=4\nbrokerId=1',
      defaults,
    );
    expect(unknownKeys).toEqual(['mapedFileSizeCommitLog', 'sendMessageThreadPoolNums']);
  });

  it.each([
    ['listenPort=abc', 'listenPort', 'listenPort: "abc" is not an integer'],
    ['fileReservedTime=7.5', 'fileReservedTime', 'fileReservedTime: "7.5" is not an integer'],
    ['brokerRole=MASTER', 'brokerRole', 'brokerRole: "MASTER" is not one of ASYNC_MASTER, SYNC_MASTER, SLAVE'],
    ['autoCreateTopicEnable=yes', 'autoCreateTopicEnable', 'autoCreateTopicEnable: "yes" is not true or false'],
    [
      'messageDelayLevel=1s 5x',
      'messageDelayLevel',
      'messageDelayLevel: "1s 5x" is not a list of levels like "1s 5s 1m 2h"',
    ],
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
      [
        'messageDelayLevel=1s 5s \\',
        '    10s',
        'a\\=b=c',
        'path=C:\\\\store',
        'uni=\\u0041',
        'k=1',
        'k=2',
        '# not\\',
        'next=ok',
      ].join('\n'),
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
      expect(loadBrokerConf(path, defaults).config).toMatchObject({
        brokerName: 'broker-b',
        brokerId: 1,
        brokerRole: 'SLAVE',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('broker config: keys accepted but not implemented yet', () => {
  it('names the inert keys given in broker.conf, in the order given, and still takes their values', () => {
    const text = 'brokerName=broker-a\nputMessageTimeout=3000\nduplicationEnable=true\nenableLmq=false\n';
    const { config, unknownKeys, inertKeys } = parseBrokerConf(text, defaults);
    expect(inertKeys).toEqual(['putMessageTimeout', 'duplicationEnable', 'enableLmq']);
    expect(unknownKeys).toEqual([]);
    expect(config).toMatchObject({
      brokerName: 'broker-a',
      putMessageTimeout: 3000,
      duplicationEnable: true,
    });
  });

  it('names none for a broker.conf of implemented keys only', () => {
    expect(parseBrokerConf('brokerName=broker-a\nflushDiskType=SYNC_FLUSH\n', defaults).inertKeys).toEqual([]);
    expect(inertConfigKeys(['brokerName', 'noSuchKey', 'enableLmq'])).toEqual(['enableLmq']);
  });

  it('warns once, naming each key with the feature it waits for', () => {
    expect(inertConfigWarning([])).toBeNull();
    expect(inertConfigWarning(['putMessageTimeout', 'duplicationEnable'])).toBe(
      'broker.conf keys accepted but not implemented yet: ' +
        'putMessageTimeout (put timeouts), duplicationEnable (replication)',
    );
  });

  it('lists only keys broker.conf accepts, none of which the code under ts/ reads', () => {
    const sources = tsSources(join(import.meta.dirname, '../../ts')).filter(
      (path) => !path.endsWith('broker-config.ts'),
    );
    const code = sources.map((path) => readFileSync(path, 'utf8')).join('\n');
    for (const key of Object.keys(INERT_CONFIG_KEYS)) {
      expect(Object.hasOwn(defaults, key), key).toBe(true);
      expect(new RegExp(`\\.${key}\\b`).test(code), `${key} is read: remove it from INERT_CONFIG_KEYS`).toBe(false);
    }
  });
});

function tsSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsSources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}
