// Small DOM helpers for the dashboard's pages: element building, tables, and a chart over uPlot
// that keeps its own bounded series. Depends on uplot.

import uPlot from 'uplot';

type Child = Node | string | number;

/** An element with attributes (`on*` functions become listeners) and children. */
type AttrValue = string | number | boolean | undefined | null | ((event: Event) => unknown);

export function h(tag: string, attrs: Record<string, AttrValue> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2), value);
    } else if (value !== undefined && value !== null && value !== false && typeof value !== 'function') {
      element.setAttribute(key, String(value));
    }
  }
  for (const child of children) element.append(typeof child === 'number' ? String(child) : child);
  return element;
}

/** A table from a header row and rows of cells. */
export function table(headers: string[], rows: HTMLElement[]): HTMLElement {
  return h(
    'table',
    {},
    h('thead', {}, h('tr', {}, ...headers.map((text) => h('th', {}, text)))),
    h('tbody', {}, ...rows),
  );
}

export function row(cells: Child[], attrs: Record<string, AttrValue> = {}): HTMLElement {
  return h('tr', attrs, ...cells.map((cell) => h('td', {}, cell)));
}

export function time(ms: number): string {
  return ms > 0 ? new Date(ms).toISOString().replace('T', ' ').replace('Z', '') : '-';
}

/** Points kept per chart: 5 minutes at one a second. */
const MAX_POINTS = 300;

/** A live line chart: `push` appends one point per series and redraws. */
export class LiveChart {
  private readonly data: number[][];
  private readonly plot: uPlot;

  constructor(container: HTMLElement, seriesNames: string[], width = 720) {
    this.data = [[], ...seriesNames.map(() => [])];
    const colors = ['#4f8cff', '#e8710a', '#1b7f3b', '#b3261e'];
    const series = [{}, ...seriesNames.map((label, i) => ({ label, stroke: colors[i % colors.length], width: 2 }))];
    this.plot = new uPlot(
      { width, height: 200, series, scales: { x: { time: true } } },
      this.data as uPlot.AlignedData,
      container,
    );
  }

  get points(): number {
    return this.data[0]?.length ?? 0;
  }

  push(atMs: number, values: number[]): void {
    this.data[0]?.push(atMs / 1000);
    values.forEach((value, i) => this.data[i + 1]?.push(value));
    if (this.points > MAX_POINTS) for (const series of this.data) series.shift();
    this.plot.setData(this.data as uPlot.AlignedData);
  }
}
