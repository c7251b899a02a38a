// The broker's request handler shape, shared by its handlers; header fields are read with
// ts/protocol/header-fields.ts (Java's "the custom field <x> is null" on a missing field).
// Depends on ts/remoting.

import type { RemotingCommand } from '../../remoting/remoting-command.js';

/** The connection a request came on: its identity, and a way to send requests back (e.g. code 40). */
export interface BrokerConnection {
  readonly remoteAddress: string;
  invokeOneway(request: RemotingCommand): void;
}

/** One handler file per request family; `codes` are registered with the Remoting server. */
export interface BrokerRequestHandler {
  readonly codes: readonly number[];
  handle(
    request: RemotingCommand,
    connection: BrokerConnection,
  ): RemotingCommand | null | Promise<RemotingCommand | null>;
}
