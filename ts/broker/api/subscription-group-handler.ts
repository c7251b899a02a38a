// Subscription-group administration (Java `AdminBrokerProcessor#updateAndCreateSubscriptionGroup`,
// `#updateAndCreateSubscriptionGroupList`, `#getAllSubscriptionGroup`, `#deleteSubscriptionGroup`):
// UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200), UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST (225),
// GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201, paged as 5.x clients ask), DELETE_SUBSCRIPTIONGROUP (207).
// Depends on the meta and admin domains and ts/remoting.

import {
  alterAttributes,
  decodeSubscriptionGroupBody,
  decodeSubscriptionGroupListBody,
  subscriptionGroupPage,
} from '../domain/admin/subscription-group-admin.js';
import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import type { SubscriptionGroupConfig, SubscriptionGroupManager } from '../domain/meta/subscription-group-manager.js';
import { validateGroup } from '../domain/meta/topic-validator.js';
import { RequestCode, ResponseCode } from '../../remoting/codes.js';
import { createResponse, type RemotingCommand } from '../../remoting/remoting-command.js';
import { type BrokerRequestHandler, optionalBoolean, optionalField, optionalInt, requiredField } from './request-fields.js';
import { responseCodeOf } from './broker-error-responses.js';

export class SubscriptionGroupHandler implements BrokerRequestHandler {
  readonly codes = [
    RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
    RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST,
    RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG,
    RequestCode.DELETE_SUBSCRIPTIONGROUP,
  ];

  constructor(
    private readonly groups: SubscriptionGroupManager,
    private readonly offsets: ConsumerOffsetManager,
  ) {}

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
    for (const config of configs) {
      const check = validateGroup(config.groupName);
      if (!check.ok) return createResponse(request, responseCodeOf(check.code), check.remark);
    }
    for (const config of configs) {
      const current = this.groups.get(config.groupName);
      const attributes = alterAttributes(current === undefined, current?.attributes ?? {}, config.attributes);
      this.groups.update({ ...config, attributes });
    }
    return createResponse(request, ResponseCode.SUCCESS);
  }

  /** Java `deleteSubscriptionGroup`: succeeds whether or not the group existed; `cleanOffset` drops its offsets. */
  private delete(request: RemotingCommand): RemotingCommand {
    const group = requiredField(request, 'groupName');
    this.groups.delete(group);
    if (optionalBoolean(request, 'cleanOffset') === true) this.offsets.removeOffset(group);
    return createResponse(request, ResponseCode.SUCCESS);
  }

  /** The SubscriptionGroupWrapper (or the page asked for) and `totalGroupNum`, which 5.x clients require. */
  private getAll(request: RemotingCommand): RemotingCommand {
    const document = this.groups.encode();
    const page = subscriptionGroupPage(document, {
      dataVersion: optionalField(request, 'dataVersion'),
      groupSeq: optionalInt(request, 'groupSeq'),
      maxGroupNum: optionalInt(request, 'maxGroupNum'),
    });
    const totalGroupNum = String(Object.keys(document.subscriptionGroupTable).length);
    return createResponse(request, ResponseCode.SUCCESS, null, { totalGroupNum }, Buffer.from(JSON.stringify(page)));
  }
}
