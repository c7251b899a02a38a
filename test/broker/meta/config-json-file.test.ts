import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../ts/common/logger.js';
import { ConsumerOffsetManager } from '../../../ts/broker/domain/meta/consumer-offset-manager.js';
import { newTopicConfig, TopicConfigManager } from '../../../ts/broker/domain/meta/topic-config-manager.js';
import { brokerConfigFilePaths, ConfigFileError, ConfigJsonFile } from '../../../ts/broker/infra/meta/config-json-file.js';
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

describe('meta: config JSON file', () => {
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
    });
  });

  it('loads null on first boot and round-trips a document as tab-indented JSON', () => {
    const file = new ConfigJsonFile(join(dir, 'config', 'topics.json'), createMemoryLogger());
    expect(file.load()).toBeNull();
    file.save({ a: { b: 1 } });
    expect(readFileSync(file.path, 'utf8')).toBe('{\n\t"a": {\n\t\t"b": 1\n\t}\n}');
    expect(file.load()).toEqual({ a: { b: 1 } });
    file.save({ a: 2 });
    expect(JSON.parse(readFileSync(`${file.path}.bak`, 'utf8'))).toEqual({ a: { b: 1 } });
    expect(existsSync(`${file.path}.tmp`)).toBe(false);
  });

  it('falls back to .bak when the main file is truncated or empty', () => {
    const logger = createMemoryLogger();
    const file = new ConfigJsonFile(join(dir, 'topics.json'), logger);
    file.save({ version: 1 });
    file.save({ version: 2 });
    writeFileSync(file.path, '{"version": 3, "top');
    expect(file.load()).toEqual({ version: 1 });
    expect(logger.lines.some((line) => line.level === 'warn')).toBe(true);
    // the broken file is gone, so the next save keeps the good copy as .bak
    expect(existsSync(file.path)).toBe(false);
    file.save({ version: 4 });
    expect(JSON.parse(readFileSync(`${file.path}.bak`, 'utf8'))).toEqual({ version: 1 });
    writeFileSync(file.path, '');
    expect(file.load()).toEqual({ version: 1 });
  });

  it('throws naming the file when it is broken and no backup is readable', () => {
    const file = new ConfigJsonFile(join(dir, 'topics.json'), createMemoryLogger());
    writeFileSync(file.path, '{oops');
    expect(() => file.load()).toThrow(ConfigFileError);
    expect(() => file.load()).toThrow(file.path);
    writeFileSync(file.path, '');
    writeFileSync(`${file.path}.bak`, '{oops');
    expect(() => file.load()).toThrow(ConfigFileError);
  });

  it('loads nothing when the file is empty and there is no backup', () => {
    const file = new ConfigJsonFile(join(dir, 'topics.json'), createMemoryLogger());
    writeFileSync(file.path, '  ');
    expect(file.load()).toBeNull();
  });

  it('reads a fastjson consumerOffset.json with unquoted integer keys', () => {
    const path = join(dir, 'consumerOffset.json');
    writeFileSync(path, FASTJSON_CONSUMER_OFFSET);
    const store = new ConfigJsonFile(path, createMemoryLogger());
    const offsets = new ConsumerOffsetManager({ consumerOffsetUpdateVersionStep: 500, useServerSideResetOffset: true }, { store, logger: createMemoryLogger(), nowMs: steppingClock() });
    expect(offsets.queryOffset('G', 'T', 0)).toBe(6);
    expect(offsets.queryOffset('G', 'T', 1)).toBe(3);
    expect(offsets.queryOffset('G', '%RETRY%G', 0)).toBe(0);
    expect(offsets.dataVersion).toEqual({ counter: 12, stateVersion: 0, timestamp: 1700000000000 });
    offsets.persist();
    expect(new ConfigJsonFile(path, createMemoryLogger()).load()).toMatchObject({ offsetTable: { 'T@G': { 0: 6, 1: 3 } } });
  });

  it('keeps topics across a restart of the TopicConfigManager', () => {
    const path = join(dir, 'config', 'topics.json');
    const logger = createMemoryLogger();
    const first = new TopicConfigManager(TOPIC_OPTIONS, { store: new ConfigJsonFile(path, logger), logger, nowMs: steppingClock() });
    first.createOrUpdate(newTopicConfig('T', { readQueueNums: 4, writeQueueNums: 4 }));
    const second = new TopicConfigManager(TOPIC_OPTIONS, { store: new ConfigJsonFile(path, logger), logger, nowMs: steppingClock() });
    expect(second.get('T')).toEqual(first.get('T'));
    expect(second.dataVersion).toEqual(first.dataVersion);
  });
});
