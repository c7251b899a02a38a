// Fixtures of the official-Go-client compatibility suite: building test/compat/go (the
// rocketmq-client-go/v2 probe) once through scripts/compat-go.sh, and running its client-probe
// (JSON lines on stdout; the client's own log goes to stderr).

import { type ProbeLine, run } from './compat-fixtures.js';

const root = new URL('../../', import.meta.url).pathname;
const goProbeBinary = `${root}test/compat/go/bin/client-probe`;

/** Builds the Go probe (`go mod download` once, then `go build`; skipped when up to date). */
export async function buildGoProbe(): Promise<void> {
  await run('bash', [`${root}scripts/compat-go.sh`, 'build'], { timeout: 600_000 });
}

/** Runs the Go client-probe with `args`; returns its JSON lines. */
export async function goProbe(...args: string[]): Promise<ProbeLine[]> {
  const { stdout } = await run(goProbeBinary, args, {
    timeout: 90_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, COMPAT_GO_LOG_LEVEL: 'warn' },
  });
  return stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ProbeLine);
}
