// The producer view of the admin requests: ProducerConnection (Java
// `AdminBrokerProcessor#getProducerConnectionList`, what `mqadmin producerConnection` prints).
// Pure. Depends on the client domain (ClientChannel) and admin-json.ts.

import type { ClientChannel } from '../client/client-channel.js';
import { fastJsonBody } from './admin-json.js';
import type { Connection } from './consumer-connection.js';

/** The group's producer clients (address = the connection's remote address). */
export function buildProducerConnection(channels: readonly ClientChannel[]): Connection[] {
  return channels.map((channel) => ({
    clientAddr: channel.connectionId,
    clientId: channel.clientId,
    language: channel.language,
    version: channel.version,
  }));
}

/** Java `ProducerConnection`: `{"connectionSet":[…]}`. */
export function encodeProducerConnection(connections: readonly Connection[]): Buffer {
  return fastJsonBody({ connectionSet: connections });
}
