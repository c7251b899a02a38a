// Specification of the atomic JSON file (ts/common/json-file.ts): tab-indented round trip with a
// .bak of the previous copy, the fall-back to .bak when the file is broken or empty (logged, the
// broken file removed), and a ConfigFileError when no readable copy is left.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigFileError, ConfigJsonFile } from '../../ts/common/json-file.js';
import { createMemoryLogger } from '../../ts/common/logger.js';

describe('common: atomic JSON file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'json-file-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
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
});
