// ClientConnections: the broker's open client connections by their id (the remote address the
// consumer and producer tables record), so admin requests can reach a group's clients: requests
// answered by the client (GET_CONSUMER_RUNNING_INFO) and oneway pushes (RESET_CONSUMER_CLIENT_OFFSET).
// Java's Broker2Client. Depends on ts/remoting.

import type { RemotingCommand } from '../../remoting/remoting-command.js';
import type { RemotingConnection } from '../../remoting/remoting-connection.js';
import type { RemotingServer } from '../../remoting/remoting-server.js';

/** Implements the api's ClientInvoker (ts/broker/api/client-invoker.ts). */
export class ClientConnections {
  private readonly byId = new Map<string, RemotingConnection>();

  constructor(server: Pick<RemotingServer, 'onConnection' | 'onClose'>) {
    server.onConnection((connection) => this.byId.set(connection.remoteAddress, connection));
    server.onClose((connection) => {
      if (this.byId.get(connection.remoteAddress) === connection) this.byId.delete(connection.remoteAddress);
    });
  }

  /** Sends a request to the client and waits for its answer; rejects on timeout or a closed connection. */
  invoke(connectionId: string, request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    const connection = this.byId.get(connectionId);
    if (connection === undefined) return Promise.reject(new Error(`connection ${connectionId} is closed`));
    return connection.invoke(request, timeoutMs);
  }

  /** Sends a oneway request; false when the connection is gone. */
  invokeOneway(connectionId: string, request: RemotingCommand): boolean {
    const connection = this.byId.get(connectionId);
    if (connection === undefined || !connection.isOpen) return false;
    connection.invokeOneway(request);
    return true;
  }
}
