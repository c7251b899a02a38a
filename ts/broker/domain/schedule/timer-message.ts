// Timer messages (RocketMQ 5 `Message.setDelayTimeMs` / `setDeliverTimeMs`, Java
// `HookUtils#checkIfTimerMessage` and `#transformTimerMessage`): TIMER_DELAY_SEC, TIMER_DELAY_MS or
// TIMER_DELIVER_MS give a deliver time; a message due in the future (at most timerMaxDelaySec
// ahead) is parked in `rmq_sys_wheel_timer` queue 0 with TIMER_OUT_MS (rounded down to
// timerPrecisionMs) and REAL_TOPIC / REAL_QID. A DELAY level wins over timer properties, which are
// then dropped. Pure domain. Depends on protocol/message-properties and topic-validator.

import { MessageProperty } from '../../../protocol/message-properties.js';
import { TIMER_TOPIC } from '../../../protocol/topics.js';
import { delayLevelOf, isPreparedOrRollback, type QueueTarget } from './delay-level-table.js';

export interface TimerSettings {
  /** `timerWheelEnable` (true). */
  readonly timerWheelEnable: boolean;
  /** `timerPrecisionMs` (1000). */
  readonly timerPrecisionMs: number;
  /** `timerMaxDelaySec` (259200, 3 days). */
  readonly timerMaxDelaySec: number;
}

/** What the send path does with a message: store as is, park it, or refuse it (Java's put statuses). */
export type TimerDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'parked'; readonly target: QueueTarget; readonly deliverMs: number }
  | { readonly kind: 'illegal' }
  | { readonly kind: 'notEnabled' };

const TIMER_PROPERTIES = [
  MessageProperty.TIMER_DELIVER_MS,
  MessageProperty.TIMER_DELAY_SEC,
  MessageProperty.TIMER_DELAY_MS,
] as const;

/**
 * `checkIfTimerMessage`: carries a timer property, is not already parked, and has no DELAY level
 * (which clears them).
 */
export function isTimerMessage(properties: Map<string, string>, topic: string): boolean {
  if (delayLevelOf(properties) > 0) {
    for (const name of TIMER_PROPERTIES) properties.delete(name);
    return false;
  }
  if (topic === TIMER_TOPIC || properties.has(MessageProperty.TIMER_OUT_MS)) return false;
  return TIMER_PROPERTIES.some((name) => properties.has(name));
}

/** `transformTimerMessage`; updates `properties` in place when parking. */
export function parkTimerMessage(
  properties: Map<string, string>,
  target: QueueTarget,
  sysFlag: number,
  nowMs: number,
  settings: TimerSettings,
): TimerDecision {
  if (isPreparedOrRollback(sysFlag) || !isTimerMessage(properties, target.topic)) return { kind: 'none' };
  if (!settings.timerWheelEnable) return { kind: 'notEnabled' };
  let deliverMs = deliverTimeOf(properties, nowMs);
  if (deliverMs === null) return { kind: 'illegal' };
  if (deliverMs <= nowMs)
    return properties.has(MessageProperty.TIMER_DEL_UNIQKEY) ? { kind: 'illegal' } : { kind: 'none' };
  if (deliverMs - nowMs > settings.timerMaxDelaySec * 1000) return { kind: 'illegal' };
  const precision = settings.timerPrecisionMs;
  deliverMs = deliverMs % precision === 0 ? deliverMs - precision : Math.floor(deliverMs / precision) * precision;
  properties.set(MessageProperty.TIMER_OUT_MS, String(deliverMs));
  properties.set(MessageProperty.REAL_TOPIC, target.topic);
  properties.set(MessageProperty.REAL_QID, String(target.queueId));
  return { kind: 'parked', target: { topic: TIMER_TOPIC, queueId: 0 }, deliverMs };
}

/** TIMER_DELAY_SEC, else TIMER_DELAY_MS (both from now), else TIMER_DELIVER_MS; null when unparsable. */
function deliverTimeOf(properties: ReadonlyMap<string, string>, nowMs: number): number | null {
  const parse = (text: string | undefined): number | null =>
    text !== undefined && /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : null;
  const delaySec = properties.get(MessageProperty.TIMER_DELAY_SEC);
  if (delaySec !== undefined) {
    const sec = parse(delaySec);
    return sec === null ? null : nowMs + sec * 1000;
  }
  const delayMs = properties.get(MessageProperty.TIMER_DELAY_MS);
  if (delayMs !== undefined) {
    const ms = parse(delayMs);
    return ms === null ? null : nowMs + ms;
  }
  return parse(properties.get(MessageProperty.TIMER_DELIVER_MS));
}

/** The remark of a refused timer message (Java's WHEEL_TIMER_MSG_ILLEGAL). */
export function timerIllegalRemark(settings: TimerSettings): string {
  return (
    'timer message illegal, the delay time should not be bigger than the max delay ' +
    `${settings.timerMaxDelaySec * 1000}ms; or if set del msg, ` +
    'the delay time should be bigger than the current time'
  );
}

/** The remark of WHEEL_TIMER_NOT_ENABLE. */
export function timerNotEnabledRemark(settings: TimerSettings): string {
  return `accurate timer message is not enabled, timerWheelEnable is ${settings.timerWheelEnable}`;
}
