// The front door's limits as config keys: broker.conf and the registry's config file take the same
// keys with the same defaults (docs/reliability.md), and they become the server's limits.
import { describe, expect, it } from 'vitest';
import { defaultBrokerConfig, parseBrokerConf, parseProperties } from '../../ts/broker/server/broker-config.js';
import { defaultRegistryConfig, registryConfigFromProperties } from '../../ts/registry/server/registry-config.js';
import {
  DEFAULT_FRONT_DOOR_LIMITS,
  FRONT_DOOR_CONFIG_DEFAULTS,
  frontDoorLimitsOf,
} from '../../ts/remoting/front-door-limits.js';

describe('front door config', () => {
  it('gives the broker and the registry the same keys and defaults, Apache idle timeout included', () => {
    const broker = defaultBrokerConfig();
    const registry = defaultRegistryConfig();
    for (const key of Object.keys(FRONT_DOOR_CONFIG_DEFAULTS) as Array<keyof typeof FRONT_DOOR_CONFIG_DEFAULTS>) {
      expect(broker[key], key).toBe(FRONT_DOOR_CONFIG_DEFAULTS[key]);
      expect(registry[key], key).toBe(FRONT_DOOR_CONFIG_DEFAULTS[key]);
    }
    expect(broker.serverChannelMaxIdleTimeSeconds).toBe(120);
    expect(frontDoorLimitsOf(broker)).toEqual(DEFAULT_FRONT_DOOR_LIMITS);
  });

  it('reads the keys from broker.conf and a registry config file', () => {
    const text = 'serverChannelMaxIdleTimeSeconds=5\nserverHeaderMaxFields=10\nfrouble=1';
    const broker = parseBrokerConf(text).config;
    expect(frontDoorLimitsOf(broker)).toMatchObject({ idleTimeoutMs: 5000, maxHeaderFields: 10 });
    const registry = registryConfigFromProperties(parseProperties(text));
    expect(registry.overrides).toEqual({ serverChannelMaxIdleTimeSeconds: 5, serverHeaderMaxFields: 10 });
    expect(registry.unknownKeys).toEqual(['frouble']);
    expect(() => registryConfigFromProperties(parseProperties('serverHeaderMaxFields=-1'))).toThrow(
      'serverHeaderMaxFields',
    );
  });
});
