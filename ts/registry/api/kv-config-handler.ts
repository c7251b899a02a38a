// KV config requests (Java `DefaultRequestProcessor#putKVConfig`, `#getKVConfig`, `#deleteKVConfig`):
// PUT_KV_CONFIG (100), GET_KV_CONFIG (101), DELETE_KV_CONFIG (102). Depends on the domain and remoting.

import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { KvConfigManager } from '../domain/kv-config-manager.js';
import type { RegistryRequestHandler } from './request-fields.js';
import { requiredField } from '../../protocol/header-fields.js';

export class KvConfigHandler implements RegistryRequestHandler {
  readonly codes = [RequestCode.PUT_KV_CONFIG, RequestCode.GET_KV_CONFIG, RequestCode.DELETE_KV_CONFIG];

  constructor(private readonly kvConfig: KvConfigManager) {}

  handle(request: RemotingCommand): RemotingCommand {
    const namespace = requiredField(request, 'namespace');
    const key = requiredField(request, 'key');
    switch (request.code) {
      case RequestCode.PUT_KV_CONFIG:
        this.kvConfig.put(namespace, key, requiredField(request, 'value'));
        return createResponse(request, ResponseCode.SUCCESS);
      case RequestCode.GET_KV_CONFIG: {
        const value = this.kvConfig.get(namespace, key);
        if (value === undefined) {
          return createResponse(
            request,
            ResponseCode.QUERY_NOT_FOUND,
            `No config item, Namespace: ${namespace} Key: ${key}`,
          );
        }
        return createResponse(request, ResponseCode.SUCCESS, null, { value });
      }
      default:
        this.kvConfig.delete(namespace, key);
        return createResponse(request, ResponseCode.SUCCESS);
    }
  }
}
