// `clean-rocketmq start --metrics-port P --log-level info`: the ready line keeps its format, the
// /metrics address follows on its own line, /metrics answers in the Prometheus text format, and every
// stderr line is a JSON object with level, time and msg (docs/metrics.md).

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { sampleValue, scrape } from '../support/prometheus-scrape.js';

const cli = fileURLToPath(new URL('../../ts/cli/main.ts', import.meta.url));

describe('clean-rocketmq start: metrics and logs', () => {
  it('prints the ready line, then the /metrics address; logs JSON lines', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-metrics-cli-'));
    const metricsPort = await freePort();
    const ports = ['--registry-port', '0', '--broker-port', '0', '--grpc-port', '0', '--dashboard-port', '0'];
    const args = ['--import', 'tsx', cli, 'start', '--data-dir', dataDir, ...ports];
    const child = spawn(process.execPath, [...args, '--metrics-port', String(metricsPort), '--log-level', 'info'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderr: string[] = [];
    createInterface({ input: child.stderr }).on('line', (line: string) => stderr.push(line));
    try {
      const stdout = createInterface({ input: child.stdout });
      const lines: string[] = [];
      await new Promise<void>((resolve, reject) => {
        stdout.on('line', (line: string) => {
          lines.push(line);
          if (lines.length === 2) resolve();
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr.join('\n')}`)));
      });
      expect(lines[0]).toMatch(/^clean-rocketmq ready: registry (\S+), broker (\S+)$/);
      const url = `http://127.0.0.1:${metricsPort}/metrics`;
      expect(lines[1]).toBe(`metrics ${url}`);
      const families = await scrape(url);
      expect(sampleValue(families, 'rocketmq_topic_number', { node_id: 'broker-a' })).toBeGreaterThan(0);

      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const logged = stderr.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(logged.length).toBeGreaterThan(0);
      for (const line of logged) {
        expect(typeof line.level).toBe('string');
        expect(new Date(String(line.time)).toISOString()).toBe(line.time);
        expect(typeof line.msg).toBe('string');
      }
      expect(logged.map((line) => line.msg)).toEqual(expect.arrayContaining(['metrics endpoint listening']));
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
