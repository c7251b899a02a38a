// The KV config table on disk (Java `KVConfigManager.persist`, `~/namesrv/kvConfig.json`):
// `{"configTable":{namespace:{key:value}}}`, written atomically (temp file, fsync, rename) with the
// previous copy kept as `.bak`, read back with a fall-back to `.bak`. Depends on node:fs.

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseFastJson } from '../../common/fastjson.js';
import type { KvConfigPersistence } from '../domain/kv-config-manager.js';

type Table = Record<string, Record<string, string>>;

export class KvConfigFile implements KvConfigPersistence {
  constructor(private readonly path: string) {}

  load(): Table {
    for (const candidate of [this.path, `${this.path}.bak`]) {
      if (!existsSync(candidate)) continue;
      try {
        const parsed = parseFastJson(readFileSync(candidate, 'utf8')) as { configTable?: Table };
        return parsed.configTable ?? {};
      } catch {
        // A torn or empty file: try the backup, as Java's ConfigManager does.
        continue;
      }
    }
    return {};
  }

  save(table: Table): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temp = `${this.path}.tmp`;
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, JSON.stringify({ configTable: table }, null, '\t'));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (existsSync(this.path)) renameSync(this.path, `${this.path}.bak`);
    renameSync(temp, this.path);
  }
}
