// `clean-rocketmq dashboard -n <namesrv>`: the dashboard standalone, against any RocketMQ cluster
// (Apache RocketMQ included) through the Admin SDK (ts/dashboard/admin-backend.ts); stops on
// SIGINT/SIGTERM. Depends on ts/dashboard and the node scheduler.

import type { Command } from 'commander';
import { createJsonLogger } from '../common/logger.js';
import { nodeScheduler } from '../common/node-scheduler.js';
import { AdminBackend } from '../dashboard/admin-backend.js';
import { DashboardServer } from '../dashboard/dashboard-server.js';

interface DashboardCommandOptions {
  readonly namesrvAddr: string;
  readonly port: number;
  readonly host: string;
  readonly token?: string;
}

async function runDashboard(options: DashboardCommandOptions): Promise<void> {
  const logger = createJsonLogger('info', { role: 'dashboard' });
  const backend = new AdminBackend({ namesrvAddr: options.namesrvAddr, logger });
  await backend.start();
  const settings = { port: options.port, host: options.host, token: options.token ?? '' };
  const server = new DashboardServer(backend, settings, nodeScheduler, logger);
  await server.start();
  const stop = (): void => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  console.log(`dashboard for ${options.namesrvAddr} on http://${options.host}:${server.port}/`);
}

/** Adds the `dashboard` command; `parsePort` is the CLI's port option parser. */
export function addDashboardCommand(program: Command, parsePort: (value: string) => number): void {
  program
    .command('dashboard')
    .description('run the dashboard standalone against a RocketMQ cluster (any, Apache RocketMQ included)')
    .requiredOption('-n, --namesrv-addr <addrs>', 'name servers, host:port;host:port')
    .option('-p, --port <port>', 'HTTP port (0: a free one)', parsePort, 8080)
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--token <token>', 'require this token (bearer, cookie or ?token=)')
    .action(runDashboard);
}
