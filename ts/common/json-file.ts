// One JSON document in a file, as RocketMQ keeps its configs (Java `ConfigManager` +
// `MixAll.string2File`): written atomically (temp file, fsync, previous copy renamed to `.bak`,
// rename, directory fsync), read with fastjson's dialect and a fall-back to `.bak` when the file is
// missing, empty or unparsable; an unparsable copy is logged, never silently dropped. Used for the
// broker's metadata files (it is the shape of broker/domain/meta's MetaConfigStore) and the
// registry's kvConfig.json. Depends on node:fs, fastjson.ts, logger.ts.

import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseFastJson } from './fastjson.js';
import type { Logger } from './logger.js';

export class ConfigFileError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'ConfigFileError';
  }
}

export class ConfigJsonFile {
  constructor(
    readonly path: string,
    private readonly logger: Logger,
  ) {}

  /**
   * The parsed document; null when there is nothing to load (first boot). An empty or unparsable
   * file is deleted, as Java does, so the next save cannot rotate it over a good `.bak`, and the
   * `.bak` is loaded instead. Throws a ConfigFileError when no readable copy is left but a broken
   * one exists. Compat: Java starts empty when the file is broken and there is no backup.
   */
  load(): unknown {
    const main = this.tryRead(this.path);
    if (main.kind === 'ok') return main.value;
    if (main.kind !== 'missing') {
      this.logger.warn('config file unreadable, trying the backup', {
        path: this.path,
        reason: main.kind,
        error: main.error,
      });
      if (main.kind === 'empty') rmSync(this.path, { force: true });
    }
    const backup = this.tryRead(`${this.path}.bak`);
    if (backup.kind === 'ok') {
      if (main.kind === 'unparsable') rmSync(this.path, { force: true });
      return backup.value;
    }
    if (main.kind !== 'unparsable' && backup.kind !== 'unparsable') return null;
    const reason = main.kind === 'unparsable' ? main.error : backup.error;
    throw new ConfigFileError(this.path, `cannot load: file ${main.kind}, backup ${backup.kind} (${reason ?? ''})`);
  }

  /** Writes the document as tab-indented JSON; the previous file survives as `.bak`. */
  save(document: object): void {
    const dir = dirname(this.path);
    mkdirSync(dir, { recursive: true });
    const temp = join(dir, `${basename(this.path)}.tmp`);
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, JSON.stringify(document, null, '\t'));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (existsSync(this.path)) renameSync(this.path, `${this.path}.bak`);
    renameSync(temp, this.path);
    syncDirectory(dir);
  }

  private tryRead(
    path: string,
  ):
    | { kind: 'ok'; value: unknown; error?: undefined }
    | { kind: 'missing' | 'empty'; error?: undefined }
    | { kind: 'unparsable'; error: string } {
    if (!existsSync(path)) return { kind: 'missing' };
    const text = readFileSync(path, 'utf8');
    if (text.trim().length === 0) return { kind: 'empty' };
    try {
      return { kind: 'ok', value: parseFastJson(text) };
    } catch (error) {
      return { kind: 'unparsable', error: String(error) };
    }
  }
}

/** Makes the renames durable. Some platforms cannot fsync a directory; the rename still happened. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (error) {
    if (process.platform !== 'win32') throw error;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
