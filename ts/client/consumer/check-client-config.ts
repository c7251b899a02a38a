// CHECK_CLIENT_CONFIG (46), as the Java consumer sends it at start (`MQClientInstance
// #checkClientInBroker`): each SQL92 subscription is checked by a broker of its topic, which compiles it;
// a refusal (SUBSCRIPTION_PARSE_FAILED, or SYSTEM_ERROR without enablePropertyFilter) becomes a
// ClientError with the broker's code and remark. Depends on the client instance and ts/remoting.

import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createRequest } from '../../remoting/remoting-command.js';
import { ClientError } from '../client-error.js';
import type { ClientInstance } from '../client-instance.js';
import type { SubscriptionData } from '../heartbeat-data.js';
import { masterAddress } from '../topic-route.js';

/** Checks every non-TAG subscription with one master of its topic (Java: one broker per topic). */
export async function checkClientConfigInBrokers(
  instance: ClientInstance,
  group: string,
  subscriptions: readonly SubscriptionData[],
): Promise<void> {
  for (const subscriptionData of subscriptions) {
    if (subscriptionData.expressionType === 'TAG') continue;
    const route = instance.topicRoute(subscriptionData.topic);
    const address = route?.brokerDatas.map((broker) => masterAddress(broker)).find((addr) => addr !== undefined);
    if (address === undefined) continue;
    const body = Buffer.from(JSON.stringify({ clientId: instance.clientId, group, subscriptionData }));
    const response = await instance.invoke(address, createRequest(RequestCode.CHECK_CLIENT_CONFIG, {}, body));
    if (response.code !== ResponseCode.SUCCESS) throw new ClientError(response.code, response.remark);
  }
}
