// Child processes in tests: wait for the first stdout line that matches, with the output so far in
// the failure message. Depends on node:child_process and node:readline.

import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Resolves with the first stdout line matching `pattern`; rejects if the child exits first. */
export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  const seen: string[] = [];
  return new Promise((resolve, reject) => {
    if (child.stdout === null) throw new Error('the child has no piped stdout');
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line: string) => {
      seen.push(line);
      const match = pattern.exec(line);
      if (match !== null) resolve(match);
    });
    child.once('exit', (code) => reject(new Error(`exited (${code}) before ${pattern}; stdout: ${seen.join('\n')}`)));
  });
}

/** Resolves with the exit code once the child has exited. */
export function exitCodeOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
