// GET_BROKER_HA_STATUS (907): the broker's HARuntimeInfo as JSON (docs/replication.md §10), or SYSTEM_ERROR
// on a broker that does not replicate. Depends on domain/replication and ts/remoting.

import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { HaRuntimeInfo } from '../domain/replication/ha-runtime-info.js';
import type { BrokerRequestHandler } from './request-fields.js';

/** Implemented by the replication component (infra). */
export interface HaRuntimeInfoSource {
  haRuntimeInfo(): HaRuntimeInfo | null;
}

export class HaStatusHandler implements BrokerRequestHandler {
  readonly codes = [RequestCode.GET_BROKER_HA_STATUS];

  constructor(private readonly source: HaRuntimeInfoSource) {}

  handle(request: RemotingCommand): RemotingCommand {
    const info = this.source.haRuntimeInfo();
    if (info === null) return createResponse(request, ResponseCode.SYSTEM_ERROR, 'can not get HARuntimeInfo');
    return createResponse(request, ResponseCode.SUCCESS, null, {}, Buffer.from(JSON.stringify(info), 'utf8'));
  }
}
