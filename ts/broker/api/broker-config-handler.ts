// The broker's configuration as mqadmin reads it (Java `AdminBrokerProcessor#getBrokerConfig`):
// GET_BROKER_CONFIG (26) answers every key of the running broker's config as `key=value` lines, sorted
// by key. UPDATE_BROKER_CONFIG (25) is not served (docs/admin-cli.md §4). Depends on ts/protocol and
// ts/remoting.

import { encodePropertiesText } from '../../protocol/properties-text.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { BrokerRequestHandler } from './request-fields.js';

/** The config's scalar values as text (Java `Properties` holds strings). */
export function configProperties(config: Readonly<Record<string, unknown>>): Record<string, string> {
  const table: Record<string, string> = {};
  for (const key of Object.keys(config).sort()) {
    const value = config[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      table[key] = String(value);
  }
  return table;
}

export class BrokerConfigHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.GET_BROKER_CONFIG];
  private readonly body: Buffer;

  constructor(config: Readonly<Record<string, unknown>>) {
    // The config is fixed for the broker's life: encoded once.
    this.body = encodePropertiesText(configProperties(config));
  }

  handle(request: RemotingCommand): RemotingCommand {
    return createResponse(request, ResponseCode.SUCCESS, null, {}, this.body);
  }
}
