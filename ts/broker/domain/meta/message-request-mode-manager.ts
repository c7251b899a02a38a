// MessageRequestModeManager (Java `MessageRequestModeManager`): each (topic, consumer group)'s request
// mode (PULL or POP, with popShareQueueNum) as `mqadmin setConsumeMode` sets it, kept in
// `config/messageRequestMode.json` through the MetaConfigStore port. Depends on ts/protocol/assignment.ts.

import {
  decodeMessageRequestModeMap,
  encodeMessageRequestModeMap,
  type MessageRequestModeBody,
  type MessageRequestModeMap,
} from '../../../protocol/assignment.js';
import type { MetaConfigStore } from './meta-config-store.js';

export class MessageRequestModeManager {
  private readonly modes = new Map<string, Map<string, MessageRequestModeBody>>();

  constructor(private readonly store: MetaConfigStore | null) {
    this.load();
  }

  /** The mode set for the topic and group, or undefined (the broker's default applies). */
  get(topic: string, group: string): MessageRequestModeBody | undefined {
    return this.modes.get(topic)?.get(group);
  }

  /** Java `setMessageRequestMode` then `persist`. */
  set(body: MessageRequestModeBody): void {
    let groups = this.modes.get(body.topic);
    if (groups === undefined) {
      groups = new Map();
      this.modes.set(body.topic, groups);
    }
    groups.set(body.consumerGroup, { ...body });
    this.store?.save(this.encode());
  }

  /** `{"messageRequestModeMap":{…}}`, the file's document and the GET_ALL_MESSAGE_REQUEST_MODE body. */
  encode(): { messageRequestModeMap: MessageRequestModeMap } {
    const map: MessageRequestModeMap = {};
    for (const [topic, groups] of this.modes) map[topic] = Object.fromEntries(groups);
    return encodeMessageRequestModeMap(map);
  }

  private load(): void {
    const document = this.store?.load() ?? null;
    if (document === null) return;
    for (const [topic, groups] of Object.entries(decodeMessageRequestModeMap(document))) {
      this.modes.set(topic, new Map(Object.entries(groups)));
    }
  }
}
