// Charts of a `npm run bench:peer` result (scripts/bench-charts.sh, `npm run bench:charts`): grouped
// bars per workload, ours vs Apache RocketMQ — TPS, latency (official avg RT and the probe's p99),
// broker CPU-µs/msg and RssAnon — drawn as SVG by hand and rasterised to PNG with @resvg/resvg-js
// (a devDependency; prebuilt binary from npm, text from the system fonts, e.g. fonts-dejavu-core).
// Without it the SVGs are written instead. Depends on peer-report.ts (types).

import { createRequire } from 'node:module';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { PeerResults, SideSummary, WorkloadSummary } from './peer-report.js';

interface Series {
  readonly name: string;
  readonly color: string;
  readonly values: ReadonlyArray<number | null>;
}

interface Chart {
  readonly file: string;
  readonly title: string;
  readonly unit: string;
  readonly categories: readonly string[];
  readonly series: readonly Series[];
}

const OURS_COLOR = '#2b7bb9';
const APACHE_COLOR = '#d9822b';
const WIDTH = 900;
const HEIGHT = 440;
const MARGIN = { top: 60, right: 20, bottom: 95, left: 80 };

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** 1, 2 or 5 times a power of ten, so that about five gridlines cover `max`. */
function niceStep(max: number): number {
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
}

function formatValue(value: number): string {
  if (value === 0) return '0';
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** The workload id on the first line, then its label's words packed into lines of ~14 characters. */
function wrapLabel(category: string): string[] {
  const [id = '', ...words] = category.split(' ');
  const lines = [id];
  let current = '';
  for (const word of words) {
    if (current !== '' && current.length + 1 + word.length > 14) {
      lines.push(current);
      current = word;
    } else current = current === '' ? word : `${current} ${word}`;
  }
  if (current !== '') lines.push(current);
  return lines;
}

export function barChartSvg(chart: Chart, subtitle: string): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const max = Math.max(1e-9, ...chart.series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const y = (value: number): number => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const groupWidth = plotWidth / Math.max(1, chart.categories.length);
  const barWidth = Math.min(120, (groupWidth * 0.7) / chart.series.length);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="26" font-size="18" text-anchor="middle" font-weight="bold">` +
      `${escapeXml(chart.title)}</text>`,
    `<text x="${WIDTH / 2}" y="46" font-size="12" text-anchor="middle" fill="#555">${escapeXml(subtitle)}</text>`,
  ];
  for (let tick = 0; tick <= top + step / 2; tick += step) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#ddd"/>`,
    );
    const label = step >= 1 ? Math.round(tick).toLocaleString('en-US') : formatValue(tick);
    parts.push(`<text x="${MARGIN.left - 8}" y="${y(tick) + 4}" font-size="12" text-anchor="end">${label}</text>`);
  }
  parts.push(
    `<text transform="translate(18 ${MARGIN.top + plotHeight / 2}) rotate(-90)" font-size="13" text-anchor="middle">` +
      `${escapeXml(chart.unit)}</text>`,
  );
  chart.categories.forEach((category, index) => {
    const groupX = MARGIN.left + index * groupWidth + (groupWidth - barWidth * chart.series.length) / 2;
    chart.series.forEach((series, seriesIndex) => {
      const value = series.values[index] ?? null;
      const x = groupX + seriesIndex * barWidth;
      if (value === null) {
        parts.push(
          `<text x="${x + barWidth / 2}" y="${y(0) - 4}" font-size="11" text-anchor="middle" fill="#999">n/a</text>`,
        );
        return;
      }
      parts.push(
        `<rect x="${x}" y="${y(value)}" width="${barWidth - 2}" height="${y(0) - y(value)}" fill="${series.color}"/>`,
      );
      parts.push(
        `<text x="${x + barWidth / 2}" y="${y(value) - 4}" font-size="11" text-anchor="middle">` +
          `${formatValue(value)}</text>`,
      );
    });
    const centerX = MARGIN.left + index * groupWidth + groupWidth / 2;
    wrapLabel(category).forEach((line, lineIndex) => {
      const weight = lineIndex === 0 ? ' font-weight="bold"' : '';
      parts.push(
        `<text x="${centerX}" y="${HEIGHT - MARGIN.bottom + 16 + lineIndex * 14}" font-size="11" ` +
          `text-anchor="middle"${weight}>${escapeXml(line)}</text>`,
      );
    });
  });
  parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(0)}" y2="${y(0)}" stroke="#333"/>`);
  chart.series.forEach((series, index) => {
    const x = MARGIN.left + index * 230;
    parts.push(`<rect x="${x}" y="${HEIGHT - 26}" width="14" height="14" fill="${series.color}"/>`);
    parts.push(`<text x="${x + 20}" y="${HEIGHT - 14}" font-size="13">${escapeXml(series.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function sides(summary: readonly WorkloadSummary[], pick: (side: SideSummary) => number | null, suffix = ''): Series[] {
  return [
    { name: `clean-rocketmq${suffix}`, color: OURS_COLOR, values: summary.map((s) => pick(s.ours)) },
    { name: `Apache RocketMQ 5.5.0${suffix}`, color: APACHE_COLOR, values: summary.map((s) => pick(s.rocketmq)) },
  ];
}

export function chartsOf(results: PeerResults): Chart[] {
  const summary = results.summary;
  const categories = summary.map((s) => `${s.id} ${s.label}`);
  return [
    {
      file: 'tps',
      title: 'Throughput (official Java benchmark tools)',
      unit: 'msg/s',
      categories,
      series: sides(summary, (s) => s.tps),
    },
    {
      file: 'avg-rt',
      title: 'Average send RT per request (official tools)',
      unit: 'ms',
      categories,
      series: sides(summary, (s) => s.avgRtMs),
    },
    {
      file: 'p99',
      title: 'p99 send RT (TypeScript probe, same load shape)',
      unit: 'ms',
      categories,
      series: sides(summary, (s) => s.p99Ms),
    },
    {
      file: 'cpu',
      title: 'Broker CPU per message',
      unit: 'CPU-µs/msg',
      categories,
      series: sides(summary, (s) => s.cpuUsPerMsg),
    },
    {
      file: 'rss-anon',
      title: 'Broker anonymous memory (RssAnon, peak)',
      unit: 'MiB',
      categories,
      series: sides(summary, (s) => s.peakRssAnonMiB),
    },
  ];
}

type Renderer = (svg: string) => Buffer;

/** @resvg/resvg-js if installed, else null (then the SVGs are written). */
function loadRenderer(): Renderer | null {
  try {
    const require = createRequire(import.meta.url);
    const { Resvg } = require('@resvg/resvg-js') as {
      Resvg: new (svg: string, options: object) => { render(): { asPng(): Buffer } };
    };
    return (svg) =>
      new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
  } catch {
    return null;
  }
}

function newestResult(dir: string): string {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort();
  const last = files.at(-1);
  if (last === undefined) throw new Error(`no results in ${dir}; run npm run bench:peer first`);
  return join(dir, last);
}

function main(): void {
  const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
  const input = positionals[0] ?? newestResult(join('docs', 'bench-results'));
  const results = JSON.parse(readFileSync(input, 'utf8')) as PeerResults;
  const outDir = values.out ?? join('docs', 'bench-results', 'charts', basename(input, '.json'));
  mkdirSync(outDir, { recursive: true });
  const render = loadRenderer();
  const subtitle =
    `${results.date.slice(0, 10)} · commit ${results.commit} · ${results.machine.cores} × ${results.machine.cpu} · ` +
    `medians of ${results.settings.rounds} alternating rounds`;
  for (const chart of chartsOf(results)) {
    const svg = barChartSvg(chart, subtitle);
    if (render === null) writeFileSync(join(outDir, `${chart.file}.svg`), svg);
    else writeFileSync(join(outDir, `${chart.file}.png`), render(svg));
  }
  console.log(
    `charts of ${input} in ${outDir}${render === null ? ' (SVG only: @resvg/resvg-js is not installed)' : ''}`,
  );
}

main();
