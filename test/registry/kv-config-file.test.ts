// Specification of kvConfig.json on disk: the table round-trips under `configTable`, a broken file
// falls back to the .bak with a warning, and a broken file without a readable backup fails the load
// instead of starting empty.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigFileError } from '../../ts/common/json-file.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { KvConfigFile } from '../../ts/registry/infra/kv-config-file.js';

describe('registry: KV config file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kv-config-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts empty, then round-trips the table under configTable', () => {
    const file = new KvConfigFile(join(dir, 'kvConfig.json'), createMemoryLogger());
    expect(file.load()).toEqual({});
    file.save({ ORDER_TOPIC_CONFIG: { T: 'broker-a:4' } });
    expect(new KvConfigFile(join(dir, 'kvConfig.json'), createMemoryLogger()).load()).toEqual({
      ORDER_TOPIC_CONFIG: { T: 'broker-a:4' },
    });
  });

  it('falls back to the backup with a warning when the file is torn', () => {
    const path = join(dir, 'kvConfig.json');
    const logger = createMemoryLogger();
    const file = new KvConfigFile(path, logger);
    file.save({ ns: { k: 'v1' } });
    file.save({ ns: { k: 'v2' } });
    writeFileSync(path, '{"configTable":{"ns"');
    expect(file.load()).toEqual({ ns: { k: 'v1' } });
    expect(logger.lines.some((line) => line.level === 'warn')).toBe(true);
  });

  it('fails the load when the file is broken and no backup is readable', () => {
    const path = join(dir, 'kvConfig.json');
    writeFileSync(path, '{oops');
    expect(() => new KvConfigFile(path, createMemoryLogger()).load()).toThrow(ConfigFileError);
  });
});
