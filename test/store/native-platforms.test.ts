// The prebuilt platforms and the one-line failure on a host without a store binary: the suffix mapping,
// and the real generated loader run in a child process that pretends to be an unsupported OS.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostPlatform, platformSuffixOfTriple, supportedPlatforms } from '../../ts/store/native-platforms.js';

const root = join(import.meta.dirname, '..', '..');

describe('store: prebuilt platforms', () => {
  it('names the napi.targets as napi-rs platform suffixes', () => {
    expect(supportedPlatforms(join(root, 'package.json'))).toEqual([
      'linux-x64-gnu',
      'linux-x64-musl',
      'linux-arm64-gnu',
      'linux-arm64-musl',
      'darwin-x64',
      'darwin-arm64',
    ]);
    expect(() => platformSuffixOfTriple('riscv64gc-unknown-linux-gnu')).toThrow(/unrecognised/);
  });

  it('names the host with its libc on Linux only', () => {
    expect(hostPlatform('linux', 'arm64', true)).toBe('linux-arm64-musl');
    expect(hostPlatform('linux', 'x64', false)).toBe('linux-x64-gnu');
    expect(hostPlatform('sunos', 'x64', false)).toBe('sunos-x64');
  });

  it('fails with one line naming the platform and the supported list on an unsupported OS', () => {
    const script = [
      "Object.defineProperty(process, 'platform', { value: 'sunos' });",
      "const { loadNativeBinding } = await import('./ts/store/native-binding.ts');",
      'try { loadNativeBinding(); console.log("loaded"); } catch (e) { console.log(e.message); }',
    ].join('\n');
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    expect(out.split('\n')).toHaveLength(1);
    expect(out).toContain('no native store binary for sunos-x64');
    expect(out).toContain('prebuilt: linux-x64-gnu, linux-x64-musl, linux-arm64-gnu, linux-arm64-musl');
    expect(out).toContain('build from source');
  });
});
