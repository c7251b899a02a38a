// The running broker's configuration as admin requests read and change it (mqadmin getBrokerConfig and
// updateBrokerConfig; docs/admin-cli.md §4): refuses keys in `configBlackList`, validates values through
// the injected converter, applies them to the live config object and persists them. Depends on the broker error.

import { BrokerError, BrokerErrorCode } from '../domain/broker-error.js';

/** Java's remark when an update names a key of `configBlackList`. */
export const BLACK_LIST_REMARK = 'Can not update config in black list.';

export interface BrokerConfigDeps {
  /** The running config, changed in place: parts that read a key per request see the new value at once. */
  readonly config: Record<string, unknown>;
  /** Typed values of the known keys; unknown keys listed apart. Throws an Error naming a bad value. */
  readonly convert: (updates: ReadonlyMap<string, string>) => {
    values: Record<string, unknown>;
    unknownKeys: string[];
  };
  /** Writes accepted `key → text` pairs into the config file the broker started from; absent without one. */
  readonly persist?: (updates: ReadonlyMap<string, string>) => void;
}

export interface ConfigUpdate {
  /** Keys applied (and persisted when the broker has a config file). */
  readonly applied: string[];
  /** Keys this broker does not know: ignored, as Java ignores properties no config field takes. */
  readonly ignored: string[];
}

export class BrokerConfigService {
  constructor(private readonly deps: BrokerConfigDeps) {}

  /** The running config (the live object: read it, don't keep a copy). */
  current(): Readonly<Record<string, unknown>> {
    return this.deps.config;
  }

  /** All or nothing: a black-listed key or a bad value refuses the whole update. */
  update(updates: ReadonlyMap<string, string>): ConfigUpdate {
    this.refuseBlackListed(updates);
    const { values, unknownKeys } = this.convertOrRefuse(updates);
    const applied = Object.keys(values);
    const persisted = new Map([...updates].filter(([key]) => Object.hasOwn(values, key)));
    if (persisted.size > 0) this.persistOrRefuse(persisted);
    Object.assign(this.deps.config, values);
    return { applied, ignored: unknownKeys };
  }

  private refuseBlackListed(updates: ReadonlyMap<string, string>): void {
    const configured = this.deps.config['configBlackList'];
    const blackList = (typeof configured === 'string' ? configured : '').split(';').map((key) => key.trim());
    if (blackList.some((key) => key !== '' && updates.has(key)))
      throw new BrokerError(BrokerErrorCode.NO_PERMISSION, BLACK_LIST_REMARK);
  }

  private persistOrRefuse(updates: ReadonlyMap<string, string>): void {
    try {
      this.deps.persist?.(updates);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new BrokerError(BrokerErrorCode.SYSTEM_ERROR, `broker config not persisted: ${message}`);
    }
  }

  private convertOrRefuse(updates: ReadonlyMap<string, string>): ReturnType<BrokerConfigDeps['convert']> {
    try {
      return this.deps.convert(updates);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new BrokerError(BrokerErrorCode.INVALID_PARAMETER, `bad broker config value: ${message}`);
    }
  }
}
