// SubscriptionGroupService: subscription-group administration, protocol-neutral (Java
// `AdminBrokerProcessor#updateAndCreateSubscriptionGroup(List)`, `#getAllSubscriptionGroup`,
// `#deleteSubscriptionGroup`). Depends on the meta and admin domains.

import { throwIfFailed } from '../domain/broker-error.js';
import {
  alterAttributes,
  subscriptionGroupPage,
  type GroupPageRequest,
} from '../domain/admin/subscription-group-admin.js';
import type { ConsumerOffsetManager } from '../domain/meta/consumer-offset-manager.js';
import type {
  SubscriptionGroupConfig,
  SubscriptionGroupDocument,
  SubscriptionGroupManager,
} from '../domain/meta/subscription-group-manager.js';
import { validateGroup } from '../domain/meta/topic-validator.js';

/** A page of the SubscriptionGroupWrapper and how many groups there are in all. */
export interface SubscriptionGroupPage {
  readonly page: SubscriptionGroupDocument;
  readonly totalGroupNum: number;
}

export class SubscriptionGroupService {
  constructor(
    private readonly groups: SubscriptionGroupManager,
    private readonly offsets: ConsumerOffsetManager,
  ) {}

  /** Every name is checked (INVALID_PARAMETER) before any group changes; attributes are altered as Java does. */
  updateGroups(configs: readonly SubscriptionGroupConfig[]): void {
    for (const config of configs) throwIfFailed(validateGroup(config.groupName));
    for (const config of configs) {
      const current = this.groups.get(config.groupName);
      const attributes = alterAttributes(current === undefined, current?.attributes ?? {}, config.attributes);
      this.groups.update({ ...config, attributes });
    }
  }

  /** Java `deleteSubscriptionGroup`: whether or not the group existed; `cleanOffset` drops its offsets. */
  deleteGroup(group: string, cleanOffset: boolean): void {
    this.groups.delete(group);
    if (cleanOffset) this.offsets.removeOffset(group);
  }

  /** The SubscriptionGroupWrapper (or the page asked for) and the number of groups, which 5.x clients require. */
  groupPage(request: GroupPageRequest): SubscriptionGroupPage {
    const document = this.groups.encode();
    const totalGroupNum = Object.keys(document.subscriptionGroupTable).length;
    return { page: subscriptionGroupPage(document, request), totalGroupNum };
  }
}
