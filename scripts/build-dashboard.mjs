// `npm run build:dashboard` (part of `npm run build`): type-checks the dashboard's front end
// (ts/dashboard/web, its own tsconfig with the DOM library) and bundles it with esbuild into
// dist/dashboard/web/ (index.html, app.js, app.css with uPlot's stylesheet). docs/dashboard.md.
import { execFileSync } from 'node:child_process';
import process from 'node:process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'ts/dashboard/web');
const outdir = join(root, 'dist/dashboard/web');

if (!process.argv.includes('--no-check')) {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(source, 'tsconfig.json')], {
    stdio: 'inherit',
  });
}
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: { app: join(source, 'main.ts') },
  bundle: true,
  format: 'iife',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  outdir,
  logLevel: 'warning',
});
copyFileSync(join(source, 'index.html'), join(outdir, 'index.html'));
