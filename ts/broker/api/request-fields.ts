// The broker's reading of request headers, shared by its handlers: the registry's field readers
// (Java's "the custom field <x> is null" on a missing field) and the handler shape.
// Depends on ts/registry/api/request-fields.ts and ts/remoting.

import type { RemotingCommand } from '../../remoting/remoting-command.js';

export { optionalBoolean, optionalField, optionalInt, requiredField, requiredInt } from '../../registry/api/request-fields.js';

/** The connection a request came on: its identity, and a way to send requests back (e.g. code 40). */
export interface BrokerConnection {
  readonly remoteAddress: string;
  invokeOneway(request: RemotingCommand): void;
}

/** One handler file per request family; `codes` are registered with the Remoting server. */
export interface BrokerRequestHandler {
  readonly codes: readonly number[];
  handle(request: RemotingCommand, connection: BrokerConnection): RemotingCommand | null | Promise<RemotingCommand | null>;
}
