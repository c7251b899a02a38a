// The broker's configuration as mqadmin reads and changes it (Java `AdminBrokerProcessor`):
// GET_BROKER_CONFIG (26) answers every key of the running broker's config as `key=value` lines, sorted
// by key; UPDATE_BROKER_CONFIG (25) applies `key=value` lines (docs/admin-cli.md §4). Depends on
// ts/protocol, ts/remoting and the broker config service.

import { decodePropertiesText, encodePropertiesText } from '../../protocol/properties-text.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { BrokerConfigService } from '../services/broker-config-service.js';
import { brokerErrorResponse } from './broker-error-responses.js';
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
  readonly codes = [RequestCode.GET_BROKER_CONFIG, RequestCode.UPDATE_BROKER_CONFIG];

  constructor(private readonly configs: BrokerConfigService) {}

  handle(request: RemotingCommand): RemotingCommand {
    if (request.code === RequestCode.UPDATE_BROKER_CONFIG) return this.update(request);
    const body = encodePropertiesText(configProperties(this.configs.current()));
    return createResponse(request, ResponseCode.SUCCESS, null, {}, body);
  }

  /** Java answers SUCCESS with no body; an update with no body changes nothing. */
  private update(request: RemotingCommand): RemotingCommand {
    const updates = new Map(Object.entries(decodePropertiesText(request.body)));
    try {
      this.configs.update(updates);
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
    return createResponse(request, ResponseCode.SUCCESS, null);
  }
}
