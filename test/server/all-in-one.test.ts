// `clean-rocketmq start`: the CLI starts a registry and a broker in one process, prints one ready
// line with both addresses, routes the broker's topics, and stops cleanly on SIGTERM.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { RequestCode, ResponseCode } from '../../ts/remoting/codes.js';
import { RemotingClient } from '../../ts/remoting/remoting-client.js';
import { createRequest } from '../../ts/remoting/remoting-command.js';

const cli = fileURLToPath(new URL('../../ts/cli/main.ts', import.meta.url));

describe('clean-rocketmq start', () => {
  it('prints one ready line, serves routes, and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-start-'));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        cli,
        'start',
        '--data-dir',
        dataDir,
        '--registry-port',
        '0',
        '--broker-port',
        '0',
        '--grpc-port',
        '0',
        '--dashboard-port',
        '0',
        '--metrics-port',
        '0',
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const remoting = new RemotingClient({ logger: createMemoryLogger() });
    try {
      const lines = createInterface({ input: child.stdout });
      const started = Date.now();
      const [line] = await new Promise<string[]>((resolve) => lines.once('line', (first: string) => resolve([first])));
      const match = /^clean-rocketmq ready: registry (\S+), broker (\S+)$/.exec(line ?? '');
      expect(match).not.toBeNull();
      expect(Date.now() - started).toBeLessThan(30_000);
      const registry = match?.[1] ?? '';
      const broker = match?.[2] ?? '';
      const route = await remoting.invoke(
        registry,
        createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'TBW102' }),
      );
      expect(route.code).toBe(ResponseCode.SUCCESS);
      expect(route.body?.toString()).toContain(broker);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await remoting.close();
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
