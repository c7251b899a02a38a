// RocketMQ release numbers as they travel in a Remoting command's `version` field: the ordinals of
// Java's `MQVersion.Version` enum. Clients and brokers compare them to keep old peers working.
// Depends on nothing.

/** `MQVersion.Version.<name>.ordinal()` of the releases this code compares against. */
export const MQVersion = {
  /** Older clients cannot take a pushed offset reset. */
  V3_0_7_SNAPSHOT: 28,
  /** Older clients cannot answer requests the broker relays to them. */
  V3_1_8_SNAPSHOT: 62,
  /** From this client version on, a send header's maxReconsumeTimes counts. */
  V3_4_9: 121,
  /** From this client version on, routes are answered as standard JSON. */
  V4_9_4: 401,
  V5_3_3: 479,
  V5_5_0: 513,
} as const;
