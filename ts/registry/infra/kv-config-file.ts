// The KV config table on disk (Java `KVConfigManager.persist`, `~/namesrv/kvConfig.json`):
// `{"configTable":{namespace:{key:value}}}`, kept by ts/common/json-file.ts (atomic write, `.bak`
// fall-back; an unreadable file is logged, and fails the start when no readable copy is left).
// Depends on ts/common/json-file.ts.

import { ConfigJsonFile } from '../../common/json-file.js';
import type { Logger } from '../../common/logger.js';
import type { KvConfigPersistence } from '../domain/kv-config-manager.js';

type Table = Record<string, Record<string, string>>;

export class KvConfigFile implements KvConfigPersistence {
  private readonly file: ConfigJsonFile;

  constructor(path: string, logger: Logger) {
    this.file = new ConfigJsonFile(path, logger);
  }

  load(): Table {
    const document = this.file.load() as { configTable?: Table } | null;
    return document?.configTable ?? {};
  }

  save(table: Table): void {
    this.file.save({ configTable: table });
  }
}
