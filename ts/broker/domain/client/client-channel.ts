// ClientChannel: one client seen on one connection (Java `ClientChannelInfo`): the connection it
// speaks on, its client id, language, version and when it was last heard from. Depends on nothing.

export interface ClientChannel {
  /** The connection's identity (its remote address); a closed connection drops its channels. */
  readonly connectionId: string;
  readonly clientId: string;
  readonly language: string;
  readonly version: number;
  lastUpdateMs: number;
}
