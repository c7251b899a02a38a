// ts/protocol stays pure so every front (Remoting today, gRPC later), the client and the store facade
// can share it: no Remoting, no N-API, no sockets, no files; from ts/common only types.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const PROTOCOL_DIR = join(import.meta.dirname, '..', '..', 'ts', 'protocol');
const IMPORT = /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gm;

function importsOf(file: string): { specifier: string; typeOnly: boolean }[] {
  const text = readFileSync(join(PROTOCOL_DIR, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => ({ specifier: m[3] as string, typeOnly: m[2] !== undefined }));
}

describe('protocol: imports', () => {
  const files = readdirSync(PROTOCOL_DIR).filter((name) => name.endsWith('.ts'));

  it.each(files)(
    '%s imports only ts/protocol, and ts/common for types (no Remoting, N-API or node built-ins)',
    (file) => {
      for (const { specifier, typeOnly } of importsOf(file)) {
        expect(specifier).not.toMatch(/remoting|native|^node:net$|^node:fs|^node:/);
        if (specifier.startsWith('../')) {
          expect(specifier.startsWith('../common/') && typeOnly, `${file} imports ${specifier}`).toBe(true);
        }
      }
    },
  );
});
