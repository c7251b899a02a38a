// The PULL_MESSAGE sysFlag bits (Java `PullSysFlag`): what the client asks the
// broker to do besides reading (commit its offset, hold the request, use the request's own
// subscription). Depends on nothing.

export const PullSysFlag = {
  /** Store the request's `commitOffset` for the group/queue (first pass only). */
  FLAG_COMMIT_OFFSET: 0x1,
  /** Long polling: hold the request while the queue has nothing new. */
  FLAG_SUSPEND: 0x2,
  /** Use the request's `subscription`/`expressionType`, not the heartbeat's. */
  FLAG_SUBSCRIPTION: 0x4,
  FLAG_CLASS_FILTER: 0x8,
  /** LITE_PULL_MESSAGE (361) sets it. */
  FLAG_LITE_PULL_MESSAGE: 0x10,
} as const;

/** `PullSysFlag.buildSysFlag`. */
export function buildPullSysFlag(options: {
  commitOffset?: boolean;
  suspend?: boolean;
  subscription?: boolean;
  classFilter?: boolean;
  litePull?: boolean;
}): number {
  let flag = 0;
  if (options.commitOffset === true) flag |= PullSysFlag.FLAG_COMMIT_OFFSET;
  if (options.suspend === true) flag |= PullSysFlag.FLAG_SUSPEND;
  if (options.subscription === true) flag |= PullSysFlag.FLAG_SUBSCRIPTION;
  if (options.classFilter === true) flag |= PullSysFlag.FLAG_CLASS_FILTER;
  if (options.litePull === true) flag |= PullSysFlag.FLAG_LITE_PULL_MESSAGE;
  return flag;
}

/** `PullSysFlag.clearCommitOffsetFlag`. */
export function clearCommitOffsetFlag(sysFlag: number): number {
  return sysFlag & ~PullSysFlag.FLAG_COMMIT_OFFSET;
}

export const hasCommitOffsetFlag = (sysFlag: number): boolean => (sysFlag & PullSysFlag.FLAG_COMMIT_OFFSET) !== 0;
export const hasSuspendFlag = (sysFlag: number): boolean => (sysFlag & PullSysFlag.FLAG_SUSPEND) !== 0;
export const hasSubscriptionFlag = (sysFlag: number): boolean => (sysFlag & PullSysFlag.FLAG_SUBSCRIPTION) !== 0;
export const hasClassFilterFlag = (sysFlag: number): boolean => (sysFlag & PullSysFlag.FLAG_CLASS_FILTER) !== 0;
export const hasLitePullFlag = (sysFlag: number): boolean => (sysFlag & PullSysFlag.FLAG_LITE_PULL_MESSAGE) !== 0;
