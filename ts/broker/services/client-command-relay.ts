// ClientCommandRelay: the admin's questions to a client that is not reached over a Remoting connection (a gRPC
// client, through its Telemetry stream): its thread stacks (GET_CONSUMER_RUNNING_INFO with jstack) and a trial
// consumption of one message (CONSUME_MESSAGE_DIRECTLY). `ClientCommandRelays` is the broker's registry, filled
// by the fronts that can reach such clients. Depends on the record decoder's types only.

import type { StoredMessage } from '../../protocol/record-decoder.js';

/** Java `CMResult` names, as ConsumeMessageDirectlyResult carries them. */
export type ConsumeDirectlyResult = 'CR_SUCCESS' | 'CR_LATER' | 'CR_RETURN_NULL' | 'CR_THROW_EXCEPTION';

/** A client's answer, or why there is none. */
export type RelayAnswer<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly kind: 'timeout' | 'refused' | 'failed'; readonly remark: string };

export interface ClientCommandRelay {
  /** Whether this relay reaches the client registered under `connectionId`. */
  reaches(connectionId: string): boolean;
  threadStackTrace(connectionId: string, timeoutMs: number): Promise<RelayAnswer<string>>;
  verifyMessage(
    connectionId: string,
    record: StoredMessage,
    timeoutMs: number,
  ): Promise<RelayAnswer<ConsumeDirectlyResult>>;
}

/** The relays of the broker's fronts; a connection id no relay reaches is a Remoting connection. */
export class ClientCommandRelays implements ClientCommandRelay {
  private readonly relays: ClientCommandRelay[] = [];

  register(relay: ClientCommandRelay): void {
    this.relays.push(relay);
  }

  reaches(connectionId: string): boolean {
    return this.relays.some((relay) => relay.reaches(connectionId));
  }

  threadStackTrace(connectionId: string, timeoutMs: number): Promise<RelayAnswer<string>> {
    return this.relayOf(connectionId).threadStackTrace(connectionId, timeoutMs);
  }

  verifyMessage(connectionId: string, record: StoredMessage, timeoutMs: number) {
    return this.relayOf(connectionId).verifyMessage(connectionId, record, timeoutMs);
  }

  private relayOf(connectionId: string): ClientCommandRelay {
    const relay = this.relays.find((candidate) => candidate.reaches(connectionId));
    if (relay === undefined) throw new Error(`no relay reaches ${connectionId}`);
    return relay;
  }
}
