// The cluster, topics and producers pages: brokers with their roles, versions and live TPS in/out;
// topics with queue offsets, live message count and TPS, create and delete; producer groups and
// their connections. Depends on api.ts and dom.ts.

import { api, type LiveSnapshot, type LiveTopic, type ProducerView, type TopicView } from './api.js';
import { h, LiveChart, row, table } from './dom.js';
import type { Page } from './main.js';

export function clusterPage(): Page {
  let brokers: HTMLElement;
  let chart: LiveChart;
  const draw = (snapshot: LiveSnapshot): void => {
    const rows = snapshot.brokers.map((b) =>
      row([b.cluster, b.brokerName, b.brokerId, b.address, b.role, b.version, b.tpsIn, b.tpsOut], {
        'data-broker': b.brokerName,
      }),
    );
    brokers.replaceChildren(
      table(['cluster', 'broker', 'id', 'address', 'role', 'version', 'TPS in', 'TPS out'], rows),
    );
  };
  const totals = (s: LiveSnapshot): number[] => [
    s.brokers.reduce((sum, b) => sum + b.tpsIn, 0),
    s.brokers.reduce((sum, b) => sum + b.tpsOut, 0),
  ];
  return {
    render(root, history) {
      brokers = h('div', { id: 'brokers' });
      const chartBox = h('div', { id: 'cluster-chart' });
      root.append(
        h('section', {}, h('h2', {}, 'Brokers'), brokers),
        h('section', {}, h('h2', {}, 'TPS in / out'), chartBox),
      );
      chart = new LiveChart(chartBox, ['TPS in', 'TPS out']);
      for (const snapshot of history) chart.push(snapshot.atMs, totals(snapshot));
      const last = history.at(-1);
      if (last !== undefined) draw(last);
    },
    onSnapshot(snapshot) {
      draw(snapshot);
      chart.push(snapshot.atMs, totals(snapshot));
    },
  };
}

interface TopicsState {
  selected: string | null;
  showSystem: boolean;
  list: HTMLElement;
  detail: HTMLElement;
  status: HTMLElement;
  chart: LiveChart | null;
  /** The highest TPS the selected topic's chart has shown (data-max-tps, for tests and eyes). */
  maxTps: number;
  history: readonly LiveSnapshot[];
}

function topicOf(snapshot: LiveSnapshot, topic: string): LiveTopic | undefined {
  return snapshot.topics.find((t) => t.topic === topic);
}

function drawTopicList(state: TopicsState, snapshot: LiveSnapshot | undefined, reselect: () => void): void {
  const topics = (snapshot?.topics ?? []).filter((t) => state.showSystem || !t.system);
  const rows = topics.map((t) => {
    const remove = h(
      'button',
      { class: 'delete', onclick: (e: Event) => void deleteTopic(state, t.topic, e) },
      'delete',
    );
    const attrs = { 'data-topic': t.topic, class: `clickable${t.topic === state.selected ? ' selected' : ''}` };
    const tr = row([t.topic, t.queueCount, h('span', { class: 'count' }, t.messageCount), t.tps, remove], attrs);
    tr.addEventListener('click', () => {
      state.selected = t.topic;
      reselect();
    });
    return tr;
  });
  state.list.replaceChildren(table(['topic', 'queues', 'messages', 'TPS', ''], rows));
}

async function deleteTopic(state: TopicsState, topic: string, event: Event): Promise<void> {
  event.stopPropagation();
  if (!window.confirm(`delete topic ${topic}?`)) return;
  try {
    await api('DELETE', `/topics/${encodeURIComponent(topic)}`);
    state.status.textContent = `deleted ${topic}`;
  } catch (error) {
    state.status.textContent = String(error);
  }
}

async function drawTopicDetail(state: TopicsState): Promise<void> {
  const topic = state.selected;
  if (topic === null) return state.detail.replaceChildren(h('p', { class: 'muted' }, 'select a topic'));
  const count = h(
    'span',
    { id: 'topic-count' },
    topicOf(state.history.at(-1) ?? emptySnapshot(), topic)?.messageCount ?? 0,
  );
  const chartBox = h('div', { id: 'topic-chart' });
  const queues = h('div', { id: 'topic-queues' });
  state.detail.replaceChildren(h('h2', {}, `Topic ${topic}: `, count, ' messages'), chartBox, queues);
  state.chart = new LiveChart(chartBox, ['TPS']);
  state.maxTps = 0;
  for (const snapshot of state.history) {
    const live = topicOf(snapshot, topic);
    if (live !== undefined) state.chart.push(snapshot.atMs, [live.tps]);
  }
  await drawQueues(topic);
}

/** The selected topic's queues with their offsets (read again when its message count moves). */
async function drawQueues(topic: string): Promise<void> {
  const all = await api<TopicView[]>('GET', '/topics');
  const view = all.find((t) => t.topic === topic);
  const rows = (view?.queues ?? []).map((q) => row([q.brokerName, q.queueId, q.minOffset, q.maxOffset]));
  document
    .getElementById('topic-queues')
    ?.replaceChildren(table(['broker', 'queue', 'min offset', 'max offset'], rows));
}

function emptySnapshot(): LiveSnapshot {
  return { atMs: 0, brokers: [], topics: [], groupLags: {} };
}

function createForm(state: TopicsState, reselect: () => void): HTMLElement {
  const name = h('input', { id: 'topic-name', placeholder: 'topic name' }) as HTMLInputElement;
  const queues = h('input', {
    id: 'topic-queues-num',
    type: 'number',
    value: '4',
    min: '1',
    max: '1024',
  }) as HTMLInputElement;
  const create = async (event: Event): Promise<void> => {
    event.preventDefault();
    try {
      await api('POST', '/topics', { topic: name.value, queueNums: Number(queues.value) });
      state.status.textContent = `created ${name.value}`;
      state.selected = name.value;
      reselect();
    } catch (error) {
      state.status.textContent = String(error);
    }
  };
  const system = h('input', { type: 'checkbox', id: 'show-system' }) as HTMLInputElement;
  system.addEventListener('change', () => {
    state.showSystem = system.checked;
    reselect();
  });
  const button = h('button', { id: 'create-topic', type: 'submit' }, 'create');
  return h('form', { onsubmit: create }, name, queues, button, h('label', {}, system, ' system topics'), state.status);
}

export function topicsPage(): Page {
  const state: TopicsState = {
    selected: null,
    showSystem: false,
    list: h('div', { id: 'topics' }),
    detail: h('section', { id: 'topic-detail' }),
    status: h('span', { id: 'topic-status', class: 'muted' }),
    chart: null,
    maxTps: 0,
    history: [],
  };
  const reselect = (): void => {
    drawTopicList(state, state.history.at(-1), reselect);
    void drawTopicDetail(state);
  };
  return {
    render(root, history) {
      state.history = history;
      root.append(h('section', {}, h('h2', {}, 'Topics'), createForm(state, reselect), state.list), state.detail);
      reselect();
    },
    onSnapshot(snapshot) {
      drawTopicList(state, snapshot, reselect);
      const live = state.selected === null ? undefined : topicOf(snapshot, state.selected);
      if (live === undefined) return;
      const count = document.getElementById('topic-count');
      if (count !== null && count.textContent !== String(live.messageCount)) {
        count.textContent = String(live.messageCount);
        void drawQueues(live.topic);
      }
      state.chart?.push(snapshot.atMs, [live.tps]);
      state.maxTps = Math.max(state.maxTps, live.tps);
      document.getElementById('topic-chart')?.setAttribute('data-max-tps', String(state.maxTps));
    },
  };
}

export function producersPage(): Page {
  return {
    render(root) {
      const list = h('div', { id: 'producers' }, 'loading…');
      root.append(h('section', {}, h('h2', {}, 'Producers and their connections'), list));
      api<ProducerView[]>('GET', '/producers').then(
        (producers) => {
          const rows = producers.flatMap((p) =>
            p.connections.map((c) => row([p.group, c.clientId, c.clientAddr, c.language, c.version])),
          );
          list.replaceChildren(table(['group', 'client id', 'address', 'language', 'version'], rows));
        },
        (error: unknown) => list.replaceChildren(h('p', { class: 'error' }, String(error))),
      );
    },
    onSnapshot() {},
  };
}
