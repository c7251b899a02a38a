// ClientConfigService: whether a consumer's subscription can be served here (Java
// `ClientManageProcessor#checkClientConfig`, which the Java client calls at start for each SQL92
// subscription): TAG always; SQL92 only with enablePropertyFilter and an expression that compiles.
// Refusals are thrown as BrokerErrors. Depends on the filter domain.

import { isTagType } from '../../protocol/pull-request-header.js';
import { BrokerError, BrokerErrorCode } from '../domain/broker-error.js';
import type { ConsumerFilterTable } from '../domain/filter/consumer-filter-table.js';
import { SQL92 } from '../domain/filter/sql92/sql92.js';

/** The part of a client's SubscriptionData the check reads. */
export interface SubscriptionToCheck {
  readonly expressionType: string | null;
  readonly subString: string | null;
}

export class ClientConfigService {
  constructor(
    private readonly filters: ConsumerFilterTable,
    private readonly enablePropertyFilter: boolean,
  ) {}

  /** Accepts the subscription or throws: SYSTEM_ERROR (filter off) or SUBSCRIPTION_PARSE_FAILED. */
  checkClientConfig(subscription: SubscriptionToCheck | null): void {
    if (subscription === null || isTagType(subscription.expressionType)) return;
    const expressionType = subscription.expressionType ?? '';
    if (!this.enablePropertyFilter) {
      const remark = `The broker does not support consumer to filter message by ${expressionType}`;
      throw new BrokerError(BrokerErrorCode.SYSTEM_ERROR, remark);
    }
    if (expressionType !== SQL92) {
      throw new BrokerError(BrokerErrorCode.SUBSCRIPTION_PARSE_FAILED, `unknown expression type ${expressionType}`);
    }
    try {
      this.filters.compile(subscription.subString ?? '');
    } catch (error) {
      // Java answers the compile exception's message as the remark.
      const remark = error instanceof Error ? error.message : String(error);
      throw new BrokerError(BrokerErrorCode.SUBSCRIPTION_PARSE_FAILED, remark);
    }
  }
}
