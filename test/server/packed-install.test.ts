// A fresh machine without Rust: `npm run pack:local`'s two tarballs install offline into an empty
// project with cargo and rustc off the PATH, `npx clean-rocketmq start` runs from there on the
// prebuilt platform package, and the README's produce-and-consume example runs against it.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeOf, waitForLine } from '../support/child-lines.js';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'clean-rocketmq-packed-'));
const project = join(work, 'project');

/** PATH without any folder that holds cargo or rustc. */
function pathWithoutRust(): string {
  const dirs = (process.env.PATH ?? '').split(delimiter);
  return dirs.filter((dir) => !existsSync(join(dir, 'cargo')) && !existsSync(join(dir, 'rustc'))).join(delimiter);
}

const env = { ...process.env, PATH: pathWithoutRust() };

/** The repository's lock, cut to the runtime dependencies: offline, npm then needs only cached tarballs. */
function runtimeLock(dependencies: Record<string, string>): object {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; resolved?: string; version?: string }>;
  };
  const packages: Record<string, object> = { '': { name: 'demo', version: '1.0.0', dependencies } };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.startsWith('node_modules/') || entry.dev === true) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const tarball = `${name.split('/').pop()}-${entry.version}.tgz`;
    packages[path] = { ...entry, resolved: entry.resolved ?? `https://registry.npmjs.org/${name}/-/${tarball}` };
  }
  return { name: 'demo', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}

/** The README's first `js` example that imports the package and produces and consumes. */
function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1]!);
  const example = blocks.find((code) => code.includes("from 'clean-rocketmq'") && code.includes('PushConsumer'));
  if (example === undefined) throw new Error('README.md has no produce-and-consume example');
  return example;
}

beforeAll(() => {
  const tarballs = execFileSync('bash', [join(root, 'scripts/pack-local.sh'), join(work, 'pack')], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n');
  const dependencies: Record<string, string> = {};
  for (const tarball of tarballs) dependencies[/([^/]+)-\d+\.\d+\.\d+\.tgz$/.exec(tarball)![1]!] = `file:${tarball}`;
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'demo', version: '1.0.0', dependencies }));
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify(runtimeLock(dependencies)));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, env });
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('packed install (no Rust toolchain, offline)', () => {
  it('installs the main package without a .node and the platform package with one', () => {
    expect(spawnSync('cargo', ['--version'], { env }).error).toBeDefined();
    expect(spawnSync('rustc', ['--version'], { env }).error).toBeDefined();
    const native = readdirSync(join(project, 'node_modules/clean-rocketmq/native'));
    expect(native.filter((file) => file.endsWith('.node'))).toEqual([]);
    const platformPackages = readdirSync(join(project, 'node_modules')).filter((name) =>
      name.startsWith('clean-rocketmq-'),
    );
    expect(platformPackages).toHaveLength(1);
    const files = readdirSync(join(project, 'node_modules', platformPackages[0]!));
    expect(files.some((file) => file.endsWith('.node'))).toBe(true);
  });

  it('runs npx clean-rocketmq start and the README example against it', async () => {
    const dataDir = join(work, 'data');
    const args = ['clean-rocketmq', 'start', '--data-dir', dataDir, '--registry-port', '0', '--broker-port', '0'];
    args.push('--grpc-port', '0', '--dashboard-port', '0', '--metrics-port', '0');
    const server = spawn('npx', [...args, '--grpc-port', '0'], {
      cwd: project,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const ready = await waitForLine(server, /^clean-rocketmq ready: registry (\S+), broker (\S+)/);
      expect(existsSync(join(dataDir, 'store', 'commitlog'))).toBe(true);
      writeFileSync(join(project, 'demo.mjs'), readmeExample());
      const demoEnv = { ...env, NAMESRV_ADDR: ready[1]! };
      const demo = spawn(process.execPath, ['demo.mjs'], {
        cwd: project,
        env: demoEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const sent = waitForLine(demo, /^sent (\S+)$/);
      const received = await waitForLine(demo, /^received (\S+) hello$/);
      expect(received[1]).toBe((await sent)[1]);
      // The example runs until Ctrl-C (its handler may not be installed yet): stop it either way.
      demo.kill('SIGINT');
      await exitCodeOf(demo);
    } finally {
      server.kill('SIGTERM');
      await exitCodeOf(server);
    }
  }, 180_000);
});
