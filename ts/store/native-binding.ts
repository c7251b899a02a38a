// Loads the N-API addon through the generated loader `native/index.cjs` (napi-rs picks the
// `store.<platform>.node` file) and re-exports its types. The only module that touches `native/`.
// Works from `ts/` (tsx, vitest) and from `dist/` (after tsc): both sit one level below the package root.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Native from '../../native/index.js';
import { hostPlatform, nativeLoadFailureMessage, supportedPlatforms } from './native-platforms.js';

export type NativeStore = Native.NativeStore;
export type NativeStoreOptions = Native.StoreOptions;
export type NativeGetMessagesResult = Native.GetMessagesResult;
export type NativeHaOptions = Native.HaOptions;
export type NativeHaStatus = Native.HaStatus;
export type NativeStoreClass = typeof Native.NativeStore;

let loaded: typeof Native | undefined;

/** The package root: the nearest folder above this file that holds a package.json. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The generated loader's path (`native/index.cjs` under the package root). */
export function nativeLoaderPath(): string {
  return join(packageRoot(), 'native', 'index.cjs');
}

/** glibc's runtime version is in the process report only on glibc hosts (the loader's own test, too). */
function hostIsMusl(): boolean {
  if (process.platform !== 'linux') return false;
  const report = process.report.getReport() as { header?: { glibcVersionRuntime?: string } };
  return report.header?.glibcVersionRuntime === undefined;
}

/**
 * The addon, loaded on first use so that importing the package (types, codecs, the CLI's --help)
 * does not need a built `.node` file. A local `native/store.<platform>.node` (a build in a git checkout)
 * wins over the `clean-rocketmq-<platform>` package; when neither loads, one line names the host and
 * the prebuilt platforms.
 */
export function loadNativeBinding(): typeof Native {
  if (loaded === undefined) {
    const require = createRequire(import.meta.url);
    try {
      loaded = require(nativeLoaderPath()) as typeof Native;
    } catch (cause) {
      const host = hostPlatform(process.platform, process.arch, hostIsMusl());
      const supported = supportedPlatforms(join(packageRoot(), 'package.json'));
      throw new Error(nativeLoadFailureMessage(host, supported, cause), { cause });
    }
  }
  return loaded;
}

export function nativeStoreClass(): NativeStoreClass {
  return loadNativeBinding().NativeStore;
}
