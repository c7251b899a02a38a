// The registry's request handler shape (one handler file per request family). Header fields are read
// with ts/protocol/header-fields.ts (a missing required field fails the request with Java's text,
// answered as SYSTEM_ERROR at the server edge). Depends on ts/remoting.

import type { RemotingCommand } from '../../remoting/remoting-command.js';

/** A handler the server registers for its codes (one file per request family). */
export interface RequestConnection {
  readonly remoteAddress: string;
}

export interface RegistryRequestHandler {
  readonly codes: readonly number[];
  handle(request: RemotingCommand, connection: RequestConnection): RemotingCommand | null;
}
