// What a push consumer's listener returns (rocketmq-client-nodejs `ConsumeResult` and
// `MessageListener`). FAILURE is Java's RECONSUME_LATER for concurrent consumption (the message
// is given back to the broker for a later retry) and SUSPEND_CURRENT_QUEUE_A_MOMENT for orderly
// consumption (the queue pauses and the same message is retried). A listener that throws counts
// as FAILURE. Depends on ../message/message-view.ts.

import type { MessageView } from '../message/message-view.js';

export const ConsumeResult = {
  SUCCESS: 'SUCCESS',
  FAILURE: 'FAILURE',
} as const;

export type ConsumeResult = (typeof ConsumeResult)[keyof typeof ConsumeResult];

export interface MessageListener {
  consume(message: MessageView): Promise<ConsumeResult> | ConsumeResult;
}

/** Runs the listener; a throw or an unknown result is FAILURE. */
export async function runListener(
  listener: MessageListener,
  message: MessageView,
): Promise<{ result: ConsumeResult; error?: unknown }> {
  try {
    const result = await listener.consume(message);
    return { result: result === ConsumeResult.SUCCESS ? ConsumeResult.SUCCESS : ConsumeResult.FAILURE };
  } catch (error) {
    return { result: ConsumeResult.FAILURE, error };
  }
}
