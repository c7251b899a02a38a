// KvConfigManager: the registry's namespaced key/value configuration (Java `KVConfigManager`,
// PUT/GET/DELETE_KV_CONFIG), e.g. the ORDER_TOPIC_CONFIG namespace brokers read back on
// registration. Persistence goes through an injected store so the domain stays file-free.

export const NAMESPACE_ORDER_TOPIC_CONFIG = 'ORDER_TOPIC_CONFIG';

/** Where the table lives between runs (a JSON file in production, nothing in tests). */
export interface KvConfigPersistence {
  load(): Record<string, Record<string, string>>;
  save(table: Record<string, Record<string, string>>): void;
}

export class KvConfigManager {
  private readonly table = new Map<string, Map<string, string>>();

  constructor(private readonly persistence: KvConfigPersistence | null = null) {
    for (const [namespace, entries] of Object.entries(persistence?.load() ?? {})) {
      this.table.set(namespace, new Map(Object.entries(entries)));
    }
  }

  put(namespace: string, key: string, value: string): void {
    const entries = this.table.get(namespace) ?? new Map<string, string>();
    entries.set(key, value);
    this.table.set(namespace, entries);
    this.persist();
  }

  get(namespace: string, key: string): string | undefined {
    return this.table.get(namespace)?.get(key);
  }

  delete(namespace: string, key: string): void {
    const entries = this.table.get(namespace);
    if (entries?.delete(key) !== true) return;
    if (entries.size === 0) this.table.delete(namespace);
    this.persist();
  }

  /** `getKVListByNamespace`: the namespace's entries, or null when it has none. */
  list(namespace: string): Record<string, string> | null {
    const entries = this.table.get(namespace);
    return entries === undefined ? null : Object.fromEntries(entries);
  }

  private persist(): void {
    if (this.persistence === null) return;
    const snapshot: Record<string, Record<string, string>> = {};
    for (const [namespace, entries] of this.table) snapshot[namespace] = Object.fromEntries(entries);
    this.persistence.save(snapshot);
  }
}
