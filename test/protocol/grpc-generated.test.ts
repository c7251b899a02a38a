// The committed gRPC code (ts/protocol/grpc/) is what `npm run proto:gen` generates from the vendored
// protos (proto/): regenerated into a temp folder with the same plugin and options, file for file equal.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const committed = join(root, 'ts/protocol/grpc/apache/rocketmq/v2');

describe('protocol: generated gRPC code', () => {
  it('matches what npm run proto:gen generates from proto/', async () => {
    const out = mkdtempSync(join(tmpdir(), 'clean-rocketmq-proto-gen-'));
    try {
      const template = JSON.stringify({
        version: 'v2',
        plugins: [{ local: 'protoc-gen-es', out, opt: ['target=ts', 'import_extension=js'] }],
      });
      const bin = join(root, 'node_modules/.bin');
      await run(join(bin, 'buf'), ['generate', '--template', template], {
        cwd: join(root, 'proto'),
        env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` },
        timeout: 60_000,
      });
      const generated = join(out, 'apache/rocketmq/v2');
      expect(readdirSync(generated).sort()).toEqual(readdirSync(committed).sort());
      for (const file of readdirSync(committed)) {
        expect(readFileSync(join(generated, file), 'utf8'), file).toBe(readFileSync(join(committed, file), 'utf8'));
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
