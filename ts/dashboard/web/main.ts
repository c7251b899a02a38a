// The dashboard page: navigation between the cluster, topics, groups, messages and producers pages,
// the live snapshots from the WebSocket (kept as a bounded history and handed to the open page), and
// the first draw from /api/overview. Bundled by esbuild into dist/dashboard/web/app.js
// (scripts/build-dashboard.mjs). Depends on api.ts, dom.ts and the pages.

import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { api, connectLive, type LiveSnapshot } from './api.js';
import { h } from './dom.js';
import { clusterPage, producersPage, topicsPage } from './pages.js';
import { groupsPage } from './page-groups.js';
import { messagesPage } from './page-messages.js';

export interface Page {
  /** Draws the page into `root`, using the history kept so far. */
  render(root: HTMLElement, history: readonly LiveSnapshot[]): void;
  /** A new live snapshot while the page is open. */
  onSnapshot(snapshot: LiveSnapshot): void;
}

const HISTORY_SAMPLES = 300;
const history: LiveSnapshot[] = [];
const pages: Record<string, () => Page> = {
  cluster: clusterPage,
  topics: topicsPage,
  groups: groupsPage,
  messages: messagesPage,
  producers: producersPage,
};
let current: Page | null = null;

function pageName(): string {
  const name = window.location.hash.slice(1);
  return name in pages ? name : 'cluster';
}

function show(): void {
  const name = pageName();
  const nav = document.getElementById('nav');
  nav?.replaceChildren(
    ...Object.keys(pages).map((page) =>
      h('a', { href: `#${page}`, id: `nav-${page}`, class: page === name ? 'active' : undefined }, page),
    ),
  );
  const root = document.getElementById('page');
  if (root === null) return;
  root.replaceChildren();
  current = (pages[name] ?? clusterPage)();
  current.render(root, history);
}

function onSnapshot(snapshot: LiveSnapshot): void {
  if (history.at(-1)?.atMs === snapshot.atMs) return;
  history.push(snapshot);
  if (history.length > HISTORY_SAMPLES) history.shift();
  current?.onSnapshot(snapshot);
}

function onLiveState(open: boolean): void {
  const live = document.getElementById('live');
  if (live !== null) live.textContent = open ? 'live' : 'reconnecting…';
  live?.setAttribute('data-open', String(open));
}

async function boot(): Promise<void> {
  try {
    const overview = await api<{ mode: string; history: LiveSnapshot[] }>('GET', '/overview');
    history.push(...overview.history);
    document.title = `clean-rocketmq dashboard (${overview.mode})`;
  } catch (error) {
    document.getElementById('page')?.append(h('p', { class: 'error' }, String(error)));
  }
  window.addEventListener('hashchange', show);
  show();
  connectLive(onSnapshot, onLiveState);
}

void boot();
