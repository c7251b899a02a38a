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

/** Ordinal of `V4_0_0_SNAPSHOT`: from here on every x.y.z (z, y in 0..9) has a SNAPSHOT then a release. */
const V4_0_0_SNAPSHOT = 212;
/** Ordinal of `V5_9_9`, the last numbered entry; `HIGHER_VERSION` follows it. */
const V5_9_9 = 611;

/** Java `MQVersion.getVersionDesc` for 4.x and 5.x ordinals ("V5_5_0", "V4_9_5_SNAPSHOT"). */
export function mqVersionDesc(ordinal: number): string {
  if (ordinal === V5_9_9 + 1) return 'HIGHER_VERSION';
  if (!Number.isInteger(ordinal) || ordinal < V4_0_0_SNAPSHOT || ordinal > V5_9_9) return `VERSION_${ordinal}`;
  const index = Math.floor((ordinal - V4_0_0_SNAPSHOT) / 2);
  const snapshot = (ordinal - V4_0_0_SNAPSHOT) % 2 === 0;
  const major = 4 + Math.floor(index / 100);
  const minor = Math.floor(index / 10) % 10;
  const patch = index % 10;
  return `V${major}_${minor}_${patch}${snapshot ? '_SNAPSHOT' : ''}`;
}
