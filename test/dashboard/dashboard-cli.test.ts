// The dashboard from the command line: `clean-rocketmq start --dashboard-port P` prints the dashboard's
// address on its second line and serves the page and the API there; `clean-rocketmq dashboard -n`
// serves the standalone dashboard for that cluster's name server.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';

const cli = fileURLToPath(new URL('../../ts/cli/main.ts', import.meta.url));
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Runs the CLI; resolves with its first `count` stdout lines. Stopped (SIGTERM) by cleanup. */
function runCli(args: string[], count: number): Promise<string[]> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanup.push(async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });
  const lines: string[] = [];
  const reader = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  return new Promise((resolve) => {
    reader.on('line', (line: string) => {
      lines.push(line);
      if (lines.length === count) resolve(lines);
    });
  });
}

async function overviewMode(url: string): Promise<string> {
  const response = await fetch(`${url}api/overview`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { mode: string }).mode;
}

describe('clean-rocketmq: the dashboard', () => {
  it('start --dashboard-port P serves the embedded dashboard; dashboard -n serves the standalone one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-dashboard-cli-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const args = [
      'start',
      '--data-dir',
      dataDir,
      '--registry-port',
      '0',
      '--broker-port',
      '0',
      '--grpc-port',
      '0',
      '--metrics-port',
      '0',
    ];
    const [ready, dashboardLine] = await runCli([...args, '--dashboard-port', String(port)], 2);
    expect(dashboardLine).toBe(`dashboard http://127.0.0.1:${port}/`);
    expect(await overviewMode(`http://127.0.0.1:${port}/`)).toBe('embedded');

    const namesrvAddr = /registry (\S+),/.exec(ready ?? '')?.[1] ?? '';
    const [standaloneLine] = await runCli(['dashboard', '-n', namesrvAddr, '--port', '0'], 1);
    const standaloneUrl = /on (http:\S+)$/.exec(standaloneLine ?? '')?.[1] ?? '';
    expect(standaloneUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await overviewMode(standaloneUrl)).toBe('standalone');
    const topics = (await (await fetch(`${standaloneUrl}api/topics`)).json()) as { topic: string }[];
    expect(topics.map((t) => t.topic)).toContain('TBW102');
  }, 60_000);
});
