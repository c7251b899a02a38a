// ClientInvoker: how admin handlers reach a client over the connection it registered on (Java
// `Broker2Client`): a request the client answers, or a oneway push. Implemented by
// infra/client-connections.ts. Depends on ts/remoting.

import type { RemotingCommand } from '../../remoting/remoting-command.js';

export interface ClientInvoker {
  /** Sends a request to the client and waits for its answer; rejects on timeout or a closed connection. */
  invoke(connectionId: string, request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand>;
  /** Sends a oneway request; false when the connection is gone. */
  invokeOneway(connectionId: string, request: RemotingCommand): boolean;
}
