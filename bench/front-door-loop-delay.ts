// Preloaded into a broker or registry by bench/front-door.ts (`node --import tsx --import`): samples the process's
// own event-loop delay and, on the SIGUSR2 the bench sends at the end of each flood, writes one line
// `loop-delay p50=… p99=… max=…` (milliseconds) to stderr and starts a new window. Depends on node:perf_hooks.

import { writeSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();
const ms = (nanoseconds: number): string => (nanoseconds / 1e6).toFixed(1);
process.on('SIGUSR2', () => {
  const figures = [50, 99].map((p) => `p${p}=${ms(histogram.percentile(p))}`).join(' ');
  const line = `loop-delay ${figures} max=${ms(histogram.max)}`;
  writeSync(2, `${line}\n`);
  histogram.reset();
});
