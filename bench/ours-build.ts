// Which build of our broker `npm run bench:peer` measures: by default the committed HEAD, compiled
// into .peer/ours-<commit>/dist from `git archive` (so edits in the work tree do not leak into the
// figures; the native addon is the work tree's native/, linked in), or the work tree's dist/.
// Depends on git, tar and the TypeScript compiler in node_modules.

import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface OursBuild {
  readonly distDir: string;
  readonly commit: string;
  /** 'head' = compiled from the commit; 'worktree' = dist/ as it is. */
  readonly from: 'head' | 'worktree';
  /** Paths under ts/ or crates/ that differ from HEAD in the work tree. */
  readonly dirtyPaths: string[];
  readonly nativeBuiltAt: string;
}

function git(root: string, args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
}

export function buildOurs(root: string, from: 'head' | 'worktree'): OursBuild {
  const commit = git(root, ['rev-parse', '--short', 'HEAD']);
  const dirtyPaths = git(root, ['status', '--porcelain', '--', 'ts', 'crates'])
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.slice(3));
  const nativeBuiltAt = statSync(join(root, 'native', 'index.cjs')).mtime.toISOString();
  if (from === 'worktree') {
    const distDir = join(root, 'dist');
    if (!existsSync(join(distDir, 'cli', 'main.js')))
      throw new Error('dist/cli/main.js is missing: run npm run build:ts');
    return { distDir, commit, from, dirtyPaths, nativeBuiltAt };
  }
  const dir = join(root, '.peer', `ours-${commit}`);
  const distDir = join(dir, 'dist');
  if (!existsSync(join(distDir, 'cli', 'main.js'))) {
    console.error(`bench:peer: compiling our broker at ${commit} into ${distDir} ...`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    execSync(`git archive HEAD ts package.json tsconfig.json tsconfig.build.json | tar -x -C '${dir}'`, {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    symlinkSync(join(root, 'native'), join(dir, 'native'));
    execFileSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.build.json')],
      { stdio: 'inherit' },
    );
  }
  return { distDir, commit, from, dirtyPaths, nativeBuiltAt };
}
