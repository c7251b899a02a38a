// Why an error reply was sent: a handler attaches the error behind a reply, and the dispatcher logs
// it once, with the reply's code, when the reply goes out. Remarks stay short and free of server
// paths (publicRemark). Depends on remoting-command.ts.

import type { RemotingCommand } from './remoting-command.js';

const causes = new WeakMap<RemotingCommand, unknown>();

/** Marks `reply` as caused by `error`; returns the reply. */
export function withReplyCause(reply: RemotingCommand, error: unknown): RemotingCommand {
  causes.set(reply, error);
  return reply;
}

/** The error behind `reply`, if a handler gave one. */
export function replyCause(reply: RemotingCommand): unknown {
  return causes.get(reply);
}

/** A file-system path of two or more segments, as error messages of node:fs carry them. */
const PATH = /(?:[A-Za-z]:)?(?:[\\/][^\s'"`,:;()[\]{}\\/]+){2,}[\\/]?/g;

/**
 * What a client may read of an unexpected error: an OS error as its code and call (`EMFILE: open`),
 * anything else as its message with paths replaced by `<path>`. The whole error goes to the log.
 */
export function publicRemark(error: unknown): string {
  if (error instanceof Error) {
    const system = error as Error & { code?: unknown; syscall?: unknown };
    if (typeof system.code === 'string' && typeof system.syscall === 'string') {
      return `${system.code}: ${system.syscall} failed`;
    }
    return error.message.replace(PATH, '<path>');
  }
  return String(error).replace(PATH, '<path>');
}

/** The cause chain of an error as one line for the log (message of each, outermost first). */
export function describeCause(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    parts.push(current instanceof Error ? `${current.name}: ${current.message}` : JSON.stringify(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(' <- ');
}
