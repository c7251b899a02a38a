import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../ts/common/logger.js';
import { ConsumerOffsetManager } from '../../../ts/broker/domain/meta/consumer-offset-manager.js';
import { newTopicConfig, TopicConfigManager } from '../../../ts/broker/domain/meta/topic-config-manager.js';
import { brokerConfigFilePaths } from '../../../ts/broker/infra/meta/config-file-paths.js';
import { ConfigJsonFile } from '../../../ts/common/json-file.js';
import { steppingClock, TOPIC_OPTIONS } from './meta-fixtures.js';

// consumerOffset.json as Apache RocketMQ (fastjson) writes it: tabs, unquoted integer keys.
const FASTJSON_CONSUMER_OFFSET = `{
\t"dataVersion":{
\t\t"counter":12,
\t\t"stateVersion":0,
\t\t"timestamp":1700000000000
\t},
\t"groupTopicMap":{
\t\t"G":["T"]
\t},
\t"offsetTable":{
\t\t"T@G":{0:6,1:3},
\t\t"%RETRY%G@G":{0:0}
\t}
}`;

describe('meta: config JSON files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'meta-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the metadata files under <root>/config/', () => {
    expect(brokerConfigFilePaths('/r')).toEqual({
      topicConfigPath: join('/r', 'config', 'topics.json'),
      subscriptionGroupPath: join('/r', 'config', 'subscriptionGroup.json'),
      consumerOffsetPath: join('/r', 'config', 'consumerOffset.json'),
      delayOffsetPath: join('/r', 'config', 'delayOffset.json'),
      timerProgressPath: join('/r', 'config', 'timerProgress.json'),
      messageRequestModePath: join('/r', 'config', 'messageRequestMode.json'),
    });
  });

  it('reads a fastjson consumerOffset.json with unquoted integer keys', () => {
    const path = join(dir, 'consumerOffset.json');
    writeFileSync(path, FASTJSON_CONSUMER_OFFSET);
    const store = new ConfigJsonFile(path, createMemoryLogger());
    const offsets = new ConsumerOffsetManager(
      { consumerOffsetUpdateVersionStep: 500, useServerSideResetOffset: true },
      { store, logger: createMemoryLogger(), nowMs: steppingClock() },
    );
    expect(offsets.queryOffset('G', 'T', 0)).toBe(6);
    expect(offsets.queryOffset('G', 'T', 1)).toBe(3);
    expect(offsets.queryOffset('G', '%RETRY%G', 0)).toBe(0);
    expect(offsets.dataVersion).toEqual({ counter: 12, stateVersion: 0, timestamp: 1700000000000 });
    offsets.persist();
    expect(new ConfigJsonFile(path, createMemoryLogger()).load()).toMatchObject({
      offsetTable: { 'T@G': { 0: 6, 1: 3 } },
    });
  });

  it('keeps topics across a restart of the TopicConfigManager', () => {
    const path = join(dir, 'config', 'topics.json');
    const logger = createMemoryLogger();
    const deps = () => ({ store: new ConfigJsonFile(path, logger), logger, nowMs: steppingClock() });
    const first = new TopicConfigManager(TOPIC_OPTIONS, deps());
    first.createOrUpdate(newTopicConfig('T', { readQueueNums: 4, writeQueueNums: 4 }));
    const second = new TopicConfigManager(TOPIC_OPTIONS, deps());
    expect(second.get('T')).toEqual(first.get('T'));
    expect(second.dataVersion).toEqual(first.dataVersion);
  });
});
