// Which prebuilt store binaries exist (package.json `napi.targets`, the napi-rs platform suffixes) and the
// one-line error for a host none of them fits. Depends only on node:fs and the package.json it is given.

import { readFileSync } from 'node:fs';

const CPU_OF_ARCH: Readonly<Record<string, string>> = { x86_64: 'x64', aarch64: 'arm64' };
const OS_OF_VENDOR_OS: Readonly<Record<string, string>> = { 'unknown-linux': 'linux', 'apple-darwin': 'darwin' };

/** `x86_64-unknown-linux-gnu` → `linux-x64-gnu`, `aarch64-apple-darwin` → `darwin-arm64` (napi-rs's names). */
export function platformSuffixOfTriple(triple: string): string {
  const match = /^([a-z0-9_]+)-(unknown-linux|apple-darwin)(?:-(gnu|musl))?$/.exec(triple);
  const cpu = match === null ? undefined : CPU_OF_ARCH[match[1]!];
  if (match === null || cpu === undefined) throw new Error(`unrecognised napi target ${triple}`);
  const os = OS_OF_VENDOR_OS[match[2]!]!;
  return match[3] === undefined ? `${os}-${cpu}` : `${os}-${cpu}-${match[3]}`;
}

/** The platform suffixes package.json's `napi.targets` names. */
export function supportedPlatforms(packageJsonPath: string): string[] {
  const json = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { napi?: { targets?: string[] } };
  return (json.napi?.targets ?? []).map(platformSuffixOfTriple);
}

/** The host as napi-rs names it: `linux-x64-gnu`, `linux-x64-musl`, `darwin-arm64`, `win32-x64`, ... */
export function hostPlatform(platform: string, arch: string, isMusl: boolean): string {
  if (platform !== 'linux') return `${platform}-${arch}`;
  return `${platform}-${arch}-${isMusl ? 'musl' : 'gnu'}`;
}

/** The one line a user sees when no store binary loads. */
export function nativeLoadFailureMessage(host: string, supported: readonly string[], cause: unknown): string {
  const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
  const hint = supported.includes(host)
    ? `install the optional dependency clean-rocketmq-${host}, or build from source (a Rust toolchain, then ` +
      '`npm install` in a git checkout)'
    : 'build from source: a Rust toolchain, then `npm install` in a git checkout';
  return (
    `clean-rocketmq: no native store binary for ${host} (prebuilt: ${supported.join(', ')}); ${hint}. ` +
    `Loader said: ${reason}`
  );
}
