// Subscription-group administration (Java `AdminBrokerProcessor#updateAndCreateSubscriptionGroup`,
// `#updateAndCreateSubscriptionGroupList`, `#getAllSubscriptionGroup`, `#deleteSubscriptionGroup`):
// UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200), UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST (225),
// GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201, paged as 5.x clients ask), DELETE_SUBSCRIPTIONGROUP (207),
// over SubscriptionGroupService. Depends on the service, the admin body decoders and ts/remoting.

import {
  decodeSubscriptionGroupBody,
  decodeSubscriptionGroupListBody,
} from '../domain/admin/subscription-group-admin.js';
import type { SubscriptionGroupConfig } from '../domain/meta/subscription-group-manager.js';
import type { SubscriptionGroupService } from '../services/subscription-group-service.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import { type BrokerRequestHandler } from './request-fields.js';
import { brokerErrorResponse } from './broker-error-responses.js';
import { optionalBoolean, optionalField, optionalInt, requiredField } from '../../protocol/header-fields.js';

export class SubscriptionGroupHandler implements BrokerRequestHandler {
  readonly codes = [
    RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
    RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST,
    RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG,
    RequestCode.DELETE_SUBSCRIPTIONGROUP,
  ];

  constructor(private readonly groups: SubscriptionGroupService) {}

  handle(request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP: {
        const config = decodeSubscriptionGroupBody(request.body);
        return this.update(request, config === null ? [] : [config]);
      }
      case RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST:
        return this.update(request, decodeSubscriptionGroupListBody(request.body));
      case RequestCode.DELETE_SUBSCRIPTIONGROUP:
        return this.delete(request);
      default:
        return this.getAll(request);
    }
  }

  /** Every name is checked before any group changes; a body without a config changes nothing. */
  private update(request: RemotingCommand, configs: readonly SubscriptionGroupConfig[]): RemotingCommand {
    try {
      this.groups.updateGroups(configs);
    } catch (error) {
      return brokerErrorResponse(request, error);
    }
    return createResponse(request, ResponseCode.SUCCESS);
  }

  /** Java `deleteSubscriptionGroup`: succeeds whether or not the group existed; `cleanOffset` drops its offsets. */
  private delete(request: RemotingCommand): RemotingCommand {
    this.groups.deleteGroup(requiredField(request, 'groupName'), optionalBoolean(request, 'cleanOffset') === true);
    return createResponse(request, ResponseCode.SUCCESS);
  }

  /** The SubscriptionGroupWrapper (or the page asked for) and `totalGroupNum`, which 5.x clients require. */
  private getAll(request: RemotingCommand): RemotingCommand {
    const { page, totalGroupNum } = this.groups.groupPage({
      dataVersion: optionalField(request, 'dataVersion'),
      groupSeq: optionalInt(request, 'groupSeq'),
      maxGroupNum: optionalInt(request, 'maxGroupNum'),
    });
    const fields = { totalGroupNum: String(totalGroupNum) };
    return createResponse(request, ResponseCode.SUCCESS, null, fields, Buffer.from(JSON.stringify(page)));
  }
}
