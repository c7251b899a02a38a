// ProducerAdminService: the producer view for administration, protocol-neutral (Java
// `AdminBrokerProcessor#getProducerConnectionList`). Depends on the client and admin domains.

import { buildProducerConnection } from '../domain/admin/producer-connection.js';
import type { Connection } from '../domain/admin/consumer-connection.js';
import { BrokerError, BrokerErrorCode } from '../domain/broker-error.js';
import type { ProducerManager } from '../domain/client/producer-manager.js';

export class ProducerAdminService {
  constructor(private readonly producers: ProducerManager) {}

  /** The group's producer clients; SYSTEM_ERROR when the broker knows no producer of it (as Java). */
  producerConnection(group: string): Connection[] {
    const channels = this.producers.channels(group);
    if (channels.length === 0) {
      throw new BrokerError(BrokerErrorCode.SYSTEM_ERROR, `the producer group[${group}] not exist`);
    }
    return buildProducerConnection(channels);
  }
}
