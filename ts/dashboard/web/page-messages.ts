// The messages page: search by key, by msgId, or by topic and time; each message with its
// properties, its body as text, JSON or hex, and its delivery to each group (consumed or not,
// from the group's offset against the message's queue offset). Depends on api.ts and dom.ts.

import { api, type MessageView } from './api.js';
import { h, row, table, time } from './dom.js';
import type { Page } from './main.js';

function bodyBytes(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function hex(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const chunk = [...bytes.subarray(at, at + 16)];
    lines.push(`${at.toString(16).padStart(8, '0')}  ${chunk.map((b) => b.toString(16).padStart(2, '0')).join(' ')}`);
  }
  return lines.join('\n');
}

/** The body in one of three forms; JSON falls back to text when the body is not JSON. */
function bodyAs(form: string, base64: string): string {
  const bytes = bodyBytes(base64);
  if (form === 'hex') return hex(bytes);
  const text = new TextDecoder().decode(bytes);
  if (form !== 'json') return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return `(not JSON)\n${text}`;
  }
}

function messageSection(message: MessageView): HTMLElement {
  const body = h('pre', { class: 'body' }, bodyAs('text', message.body));
  const forms = ['text', 'json', 'hex'].map((form) =>
    h('button', { class: `body-${form}`, onclick: () => (body.textContent = bodyAs(form, message.body)) }, form),
  );
  const fields = [
    ['msgId', message.msgId],
    ['offset msgId', message.offsetMsgId],
    ['queue', `${message.brokerName} / ${message.queueId} @ ${message.queueOffset}`],
    ['stored', time(message.storeTimestamp)],
    ['born', `${time(message.bornTimestamp)} from ${message.bornHost}`],
    ['reconsume times', String(message.reconsumeTimes)],
    ['body', `${message.bodySizeBytes} bytes`],
  ].map(([name, value]) => row([name ?? '', value ?? '']));
  const properties = Object.entries(message.properties).map(([key, value]) => row([key, value]));
  const deliveries = message.deliveries.map((d) =>
    row(
      [
        d.group,
        d.consumerOffset,
        h('span', { class: d.consumed ? 'consumed' : 'pending' }, d.consumed ? 'consumed' : 'not consumed'),
      ],
      { 'data-delivery': d.group },
    ),
  );
  return h(
    'section',
    { class: 'message', 'data-msgid': message.msgId },
    h('h2', {}, `Message ${message.msgId}`),
    table(['field', 'value'], fields),
    h('h2', {}, 'Properties'),
    table(['key', 'value'], properties),
    h('h2', {}, 'Body ', ...forms),
    body,
    h('h2', {}, 'Delivery'),
    table(['group', 'group offset', 'state'], deliveries),
  );
}

function searchForm(results: HTMLElement): HTMLElement {
  const topic = h('input', { id: 'msg-topic', placeholder: 'topic' }) as HTMLInputElement;
  const modes = ['key', 'msgId', 'time'].map((mode) => h('option', { value: mode }, `by ${mode}`));
  const mode = h('select', { id: 'msg-mode' }, ...modes) as HTMLSelectElement;
  const value = h('input', { id: 'msg-value', placeholder: 'key or msgId' }) as HTMLInputElement;
  const begin = h('input', { id: 'msg-begin', type: 'datetime-local', step: '1' }) as HTMLInputElement;
  const end = h('input', { id: 'msg-end', type: 'datetime-local', step: '1' }) as HTMLInputElement;
  const search = async (event: Event): Promise<void> => {
    event.preventDefault();
    const params = new URLSearchParams({ topic: topic.value });
    if (mode.value === 'time') {
      if (begin.value !== '') params.set('beginMs', String(new Date(begin.value).getTime()));
      if (end.value !== '') params.set('endMs', String(new Date(end.value).getTime()));
    } else {
      params.set(mode.value, value.value);
    }
    results.replaceChildren(h('p', { class: 'muted' }, 'searching…'));
    try {
      const found = await api<MessageView[]>('GET', `/messages?${params.toString()}`);
      const none = h('p', { id: 'msg-none', class: 'muted' }, 'no message found');
      results.replaceChildren(...(found.length === 0 ? [none] : found.map(messageSection)));
    } catch (error) {
      results.replaceChildren(h('p', { class: 'error' }, String(error)));
    }
  };
  const button = h('button', { id: 'msg-search', type: 'submit' }, 'search');
  return h('form', { onsubmit: search }, topic, mode, value, ' from ', begin, ' to ', end, button);
}

export function messagesPage(): Page {
  return {
    render(root) {
      const results = h('div', { id: 'msg-results' });
      root.append(h('section', {}, h('h2', {}, 'Messages'), searchForm(results)), results);
    },
    onSnapshot() {},
  };
}
