// `clean-rocketmq admin` as a real process: the exit code and the one stderr line of a failed command
// (an unreachable name server) and of an unknown command, with nothing on stdout and no stack trace.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../ts/cli/main.ts', import.meta.url));

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runCli(args: readonly string[]): Promise<Exit> {
  return new Promise((resolve) => {
    const env = { ...process.env, NAMESRV_ADDR: '' };
    execFile(process.execPath, ['--import', 'tsx', cli, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? null), stdout, stderr });
    });
  });
}

describe('clean-rocketmq admin (process)', () => {
  it('exits 1 with one line when the name server cannot be reached', async () => {
    const exit = await runCli(['admin', 'topicList', '-n', '127.0.0.1:1']);
    expect(exit.code).toBe(1);
    expect(exit.stdout).toBe('');
    expect(exit.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^topicList command failed: .*127\.0\.0\.1:1/),
    ]);
  }, 70_000);

  it('exits 1 with one line for an unknown command', async () => {
    const exit = await runCli(['admin', 'noSuchCommand']);
    expect(exit.code).toBe(1);
    expect(exit.stderr.trimEnd().split('\n')).toEqual(["error: unknown command 'noSuchCommand'"]);
  }, 70_000);
});
