// Apache RocketMQ 5.5.0 as the client suites' reference broker (CLIENT_TEST_TARGET=apache): its
// name server and broker started by scripts/apache-rocketmq.sh on free ports of 127.0.0.1 over a
// temp folder, stopped by PID after the suite (or when the test process exits without reaching
// `stop`) with SIGKILL, as the folder is deleted next. For a look at Apache's logs
// (broker/logs/rocketmqlogs, namesrv/logs/rocketmqlogs, *.out), APACHE_KEEP_RUN_DIR=1 keeps the folder
// and APACHE_STOP_GRACE_S=15 lets both flush them on SIGTERM.

import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const script = new URL('../../scripts/apache-rocketmq.sh', import.meta.url).pathname;
const run = promisify(execFile);

/** Bounds the first `start` of a checkout, which downloads ~100 MB of jars from Maven Central. */
export const APACHE_START_TIMEOUT_MS = 600_000;

export interface ApacheRocketMq {
  readonly namesrvAddr: string;
  readonly brokerAddr: string;
  stop(): Promise<void>;
}

/**
 * Starts Apache's name server and a broker `broker-a` of DefaultCluster registered with it;
 * `brokerConf` adds broker.conf keys (e.g. messageDelayLevel). Rejects with the script's output
 * when either process does not come up (the script gives up after 120 s and stops what it started).
 */
export async function startApacheRocketMq(
  brokerConf: Record<string, string | number | boolean>,
): Promise<ApacheRocketMq> {
  const runDir = mkdtempSync(join(tmpdir(), 'clean-rocketmq-apache-'));
  // C1 only: the JVMs start in about half the time, and the tests send little.
  const env = {
    ...process.env,
    PEER_JAVA_OPTS: '-XX:TieredStopAtLevel=1',
    APACHE_STOP_GRACE_S: process.env['APACHE_STOP_GRACE_S'] ?? '0',
  };
  let stopped = false;
  const removeRunDir = (): void => {
    if (process.env['APACHE_KEEP_RUN_DIR'] === '1') console.error(`Apache RocketMQ run folder kept: ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true });
  };
  const stopSync = (): void => {
    if (stopped) return;
    stopped = true;
    execFileSync('bash', [script, 'stop', runDir], { env, stdio: 'ignore' });
    removeRunDir();
  };
  process.once('exit', stopSync);

  const args = [script, 'start', runDir, ...Object.entries(brokerConf).map(([key, value]) => `${key}=${value}`)];
  let stdout: string;
  try {
    ({ stdout } = await run('bash', args, { env, timeout: APACHE_START_TIMEOUT_MS - 10_000, killSignal: 'SIGKILL' }));
  } catch (error) {
    stopSync();
    // execFile's message is the command line and its stderr (the script's reason and log tails).
    throw new Error(`Apache RocketMQ did not start: ${(error as Error).message}`, { cause: error });
  }
  const started = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { namesrvAddr: string; brokerAddr: string };
  return {
    namesrvAddr: started.namesrvAddr,
    brokerAddr: started.brokerAddr,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', stopSync);
      await run('bash', [script, 'stop', runDir], { env });
      removeRunDir();
    },
  };
}
