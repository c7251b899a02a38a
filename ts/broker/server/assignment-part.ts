// The server-side rebalance part: the request-mode table over `config/messageRequestMode.json` and the
// AssignmentService over it, the topics, the groups and the consumers online. Depends on the broker parts.

import { MessageRequestModeManager } from '../domain/meta/message-request-mode-manager.js';
import { AssignmentService } from '../services/assignment-service.js';
import type { BrokerContext, ClientParts, MetadataParts } from './broker-parts.js';

/** QUERY_ASSIGNMENT and the request modes, with broker.conf's defaults. */
export function buildAssignments(ctx: BrokerContext, meta: MetadataParts, client: ClientParts): AssignmentService {
  const { config } = ctx;
  const modes = new MessageRequestModeManager(ctx.openMetaStore(meta.files.messageRequestModePath, meta.metaLogger));
  return new AssignmentService(
    { modes, topics: meta.topics, groups: meta.groups, consumers: client.consumers },
    {
      brokerName: config.brokerName,
      brokerPermission: config.brokerPermission,
      serverLoadBalancerEnable: config.serverLoadBalancerEnable,
      defaultMessageRequestMode: config.defaultMessageRequestMode,
      defaultPopShareQueueNum: config.defaultPopShareQueueNum,
    },
  );
}
