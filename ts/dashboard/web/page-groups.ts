// The consumer groups page: every group with its live lag; a group's connections, subscriptions,
// per-queue lag, lag over time, and reset offset by time (forced, every queue of a topic).
// Depends on api.ts and dom.ts.

import { api, type GroupView, type LiveSnapshot } from './api.js';
import { h, LiveChart, row, table } from './dom.js';
import type { Page } from './main.js';

interface GroupsState {
  selected: string | null;
  groups: string[];
  list: HTMLElement;
  detail: HTMLElement;
  chart: LiveChart | null;
  history: readonly LiveSnapshot[];
}

function drawList(state: GroupsState, snapshot: LiveSnapshot | undefined, select: (group: string) => void): void {
  const lags = snapshot?.groupLags ?? {};
  const names = [...new Set([...state.groups, ...Object.keys(lags)])].sort();
  const rows = names.map((group) => {
    const attrs = { 'data-group': group, class: `clickable${group === state.selected ? ' selected' : ''}` };
    const tr = row([group, h('span', { class: 'lag' }, lags[group] ?? '-')], attrs);
    tr.addEventListener('click', () => select(group));
    return tr;
  });
  state.list.replaceChildren(table(['group', 'lag'], rows));
}

function resetForm(view: GroupView, reload: () => void): HTMLElement {
  // The group's own topics first, its retry topic (%RETRY%…) last.
  const topics = [...new Set([...view.subscriptions, ...view.queues.map((q) => q.topic)])].sort(
    (a, b) => Number(a.startsWith('%')) - Number(b.startsWith('%')) || a.localeCompare(b),
  );
  const topic = h(
    'select',
    { id: 'reset-topic' },
    ...topics.map((t) => h('option', { value: t }, t)),
  ) as HTMLSelectElement;
  const when = h('input', { id: 'reset-time', type: 'datetime-local', step: '1' }) as HTMLInputElement;
  const status = h('span', { id: 'reset-status', class: 'muted' });
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const timestampMs = when.value === '' ? 0 : new Date(when.value).getTime();
    try {
      await api('POST', `/groups/${encodeURIComponent(view.group)}/reset`, { topic: topic.value, timestampMs });
      status.textContent = `reset ${topic.value} to ${when.value === '' ? 'the earliest message' : when.value}`;
      reload();
    } catch (error) {
      status.textContent = String(error);
    }
  };
  const button = h('button', { id: 'reset-offset', type: 'submit' }, 'reset offset');
  return h('form', { onsubmit: submit }, 'topic ', topic, ' to the first message at or after ', when, button, status);
}

async function drawDetail(state: GroupsState): Promise<void> {
  const group = state.selected;
  if (group === null) return state.detail.replaceChildren(h('p', { class: 'muted' }, 'select a group'));
  const view = await api<GroupView>('GET', `/groups/${encodeURIComponent(group)}`);
  const connections = view.connections.map((c) => row([c.clientId, c.clientAddr, c.language, c.version]));
  const queues = view.queues.map((q) =>
    row([q.topic, q.brokerName, q.queueId, q.brokerOffset, q.consumerOffset, q.lag]),
  );
  const chartBox = h('div', { id: 'group-chart' });
  state.detail.replaceChildren(
    h('h2', {}, `Group ${group}: lag `, h('span', { id: 'group-lag' }, view.lag)),
    h(
      'p',
      { class: 'muted' },
      `${view.messageModel || 'offline'}; subscriptions: ${view.subscriptions.join(', ') || '-'}`,
    ),
    table(['client id', 'address', 'language', 'version'], connections),
    resetForm(view, () => void drawDetail(state)),
    table(['topic', 'broker', 'queue', 'broker offset', 'consumer offset', 'lag'], queues),
    h('h2', {}, 'Lag over time'),
    chartBox,
  );
  state.chart = new LiveChart(chartBox, ['lag']);
  for (const snapshot of state.history) {
    const lag = snapshot.groupLags[group];
    if (lag !== undefined) state.chart.push(snapshot.atMs, [lag]);
  }
}

export function groupsPage(): Page {
  const state: GroupsState = {
    selected: null,
    groups: [],
    list: h('div', { id: 'groups' }),
    detail: h('section', { id: 'group-detail' }),
    chart: null,
    history: [],
  };
  const select = (group: string): void => {
    state.selected = group;
    drawList(state, state.history.at(-1), select);
    void drawDetail(state);
  };
  return {
    render(root, history) {
      state.history = history;
      root.append(h('section', {}, h('h2', {}, 'Consumer groups'), state.list), state.detail);
      drawList(state, history.at(-1), select);
      void api<string[]>('GET', '/groups').then((groups) => {
        state.groups = groups;
        drawList(state, state.history.at(-1), select);
      });
      void drawDetail(state);
    },
    onSnapshot(snapshot) {
      drawList(state, snapshot, select);
      const lag = state.selected === null ? undefined : snapshot.groupLags[state.selected];
      if (lag === undefined) return;
      const text = document.getElementById('group-lag');
      if (text !== null) text.textContent = String(lag);
      state.chart?.push(snapshot.atMs, [lag]);
    },
  };
}
