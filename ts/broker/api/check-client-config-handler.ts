// CHECK_CLIENT_CONFIG (46) over Remoting (Java `ClientManageProcessor#checkClientConfig`): decodes the
// CheckClientRequestBody (clientId, group, subscriptionData) and answers SUCCESS or the service's
// refusal. Depends on the client config service, the fastjson dialect and ts/remoting.

import { parseFastJson } from '../../common/fastjson.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { ClientConfigService, SubscriptionToCheck } from '../services/client-config-service.js';
import { brokerErrorResponse } from './broker-error-responses.js';
import type { BrokerRequestHandler } from './request-fields.js';

export class CheckClientConfigHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.CHECK_CLIENT_CONFIG];

  constructor(private readonly clientConfig: ClientConfigService) {}

  handle(request: RemotingCommand): RemotingCommand {
    try {
      this.clientConfig.checkClientConfig(decodeSubscription(request.body));
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
    return createResponse(request, ResponseCode.SUCCESS);
  }
}

/** The body's `subscriptionData`, or null when there is no body or no subscription. Throws on bad JSON. */
function decodeSubscription(body: Buffer | null): SubscriptionToCheck | null {
  if (body === null || body.length === 0) return null;
  const parsed = parseFastJson(body.toString('utf8'));
  if (parsed === null || typeof parsed !== 'object') throw new Error('CheckClientRequestBody is not a JSON object');
  const data = (parsed as Record<string, unknown>)['subscriptionData'];
  if (data === null || typeof data !== 'object') return null;
  const fields = data as Record<string, unknown>;
  const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
  return { expressionType: text(fields['expressionType']), subString: text(fields['subString']) };
}
