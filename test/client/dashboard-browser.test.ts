// The dashboard in a real browser (headless Debian chromium through playwright-core): create a topic
// from the page, send 100 messages, watch the topic's count and TPS chart move without a reload,
// find a message by key and read its body, reset a consumed group's offset and watch its lag come
// back. Against clean-rocketmq the broker-embedded dashboard; in the Apache stage the standalone one
// against Apache RocketMQ 5.5.0. DASHBOARD_SCREENSHOTS=docs writes the screenshots into docs/.

import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsumeResult } from '../../ts/client/consumer/consume-result.js';
import { PushConsumer } from '../../ts/client/consumer/push-consumer.js';
import { Producer } from '../../ts/client/producer/producer.js';
import { CLUSTER_START_TIMEOUT_MS, uniqueName, waitFor } from './client-fixtures.js';
import {
  buildFrontEnd,
  type DashboardUnderTest,
  launchChromium,
  startDashboardUnderTest,
} from './dashboard-fixtures.js';

const screenshotDir = process.env['DASHBOARD_SCREENSHOTS'] === 'docs' ? 'docs' : tmpdir();
const MESSAGES = 100;
/** Generous for a loaded 2-core machine; the live push is once a second. */
const LIVE_TIMEOUT_MS = 30_000;

let dashboard: DashboardUnderTest;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;

beforeAll(async () => {
  buildFrontEnd();
  dashboard = await startDashboardUnderTest();
  browser = await launchChromium();
  page = await browser.context.newPage();
}, CLUSTER_START_TIMEOUT_MS + 30_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.stop();
});

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `dashboard-${name}.png`), fullPage: true });
}

/** Waits until the element's text is `expected`, updated in place by the live push. */
async function waitForText(selector: string, expected: string): Promise<void> {
  await waitFor(
    `${selector} to read ${expected}`,
    async () => (await page.textContent(selector, { timeout: 1000 }).catch(() => null)) === expected,
    LIVE_TIMEOUT_MS,
  );
}

/** The delivery state the messages page shows for the message with `key` and `group`. */
async function deliveryOf(key: string, group: string): Promise<string> {
  await page.click('#nav-messages');
  await page.fill('#msg-topic', topicUnderTest);
  await page.selectOption('#msg-mode', 'key');
  await page.fill('#msg-value', key);
  await page.click('#msg-search');
  const cell = page.locator(`section.message tr[data-delivery="${group}"] td:last-child`);
  await cell.waitFor({ timeout: LIVE_TIMEOUT_MS });
  return (await cell.textContent()) ?? '';
}

const topicUnderTest = uniqueName('DashTopic');

describe('dashboard in a browser', () => {
  const topic = topicUnderTest;
  const group = uniqueName('DashGroup');

  it('shows the cluster: broker-a, its role and version', async () => {
    await page.goto(`${dashboard.url}#cluster`);
    await page.waitForSelector('#live[data-open="true"]', { timeout: LIVE_TIMEOUT_MS });
    const broker = page.locator('tr[data-broker="broker-a"]');
    await broker.waitFor({ timeout: LIVE_TIMEOUT_MS });
    const cells = await broker.locator('td').allTextContents();
    expect(cells.slice(0, 5)).toEqual(['DefaultCluster', 'broker-a', '0', dashboard.cluster.brokerAddr, 'MASTER']);
    expect(cells[5]).toMatch(/^V\d+_\d+_\d+/);
  }, 60_000);

  it('creates a topic from the page and shows its count and TPS live as 100 messages arrive', async () => {
    await page.click('#nav-topics');
    await page.evaluate('window.loadMarker = 42');
    await page.fill('#topic-name', topic);
    await page.fill('#topic-queues-num', '4');
    await page.click('#create-topic');
    await page.waitForSelector(`tr[data-topic="${topic}"]`, { timeout: LIVE_TIMEOUT_MS });

    const producer = new Producer({ ...dashboard.cluster.clientOptions(), producerGroup: uniqueName('DashPg') });
    await producer.startup();
    try {
      for (let i = 0; i < MESSAGES; i++) {
        await producer.send({ topic, body: JSON.stringify({ order: i, item: `book-${i}` }), keys: [`key-${i}`] });
      }
    } finally {
      await producer.shutdown();
    }

    await waitForText('#topic-count', String(MESSAGES));
    const maxTps = Number(await page.getAttribute('#topic-chart', 'data-max-tps'));
    expect(maxTps).toBeGreaterThan(0);
    expect(await page.textContent(`tr[data-topic="${topic}"] .count`)).toBe('100');
    // The same document all along: no reload happened.
    expect(await page.evaluate('window.loadMarker')).toBe(42);
    await screenshot('topics');
  }, 90_000);

  it('finds a message by key and shows its body as text and JSON, and its properties', async () => {
    await page.click('#nav-messages');
    await page.fill('#msg-topic', topic);
    await page.selectOption('#msg-mode', 'key');
    await page.fill('#msg-value', 'key-42');
    await page.click('#msg-search');
    await page.waitForSelector('section.message', { timeout: LIVE_TIMEOUT_MS });
    expect(await page.locator('section.message').count()).toBe(1);
    expect(await page.textContent('section.message pre.body')).toBe('{"order":42,"item":"book-42"}');
    await page.click('section.message button.body-json');
    expect(await page.textContent('section.message pre.body')).toContain('"item": "book-42"');
    expect(await page.textContent('section.message')).toContain('key-42');
    await screenshot('messages');
  }, 60_000);

  it('finds the messages of a topic by time: every queue read from the start, newest first', async () => {
    await page.selectOption('#msg-mode', 'time');
    await page.click('#msg-search');
    await page.waitForSelector('section.message', { timeout: LIVE_TIMEOUT_MS });
    // 4 queues of 25 messages, 16 read from each (MAX_MESSAGES_PER_QUEUE_BY_TIME).
    expect(await page.locator('section.message').count()).toBe(64);
  }, 60_000);

  it("resets a consumed group's offset to the earliest message and shows its lag come back", async () => {
    let consumed = 0;
    const consumer = new PushConsumer({
      ...dashboard.cluster.clientOptions(),
      consumerGroup: group,
      subscriptions: { [topic]: '*' },
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      messageListener: {
        consume: () => {
          consumed += 1;
          return ConsumeResult.SUCCESS;
        },
      },
    });
    await consumer.startup();
    await waitFor('consumption', () => consumed >= MESSAGES, LIVE_TIMEOUT_MS);
    await consumer.shutdown();
    expect(await deliveryOf('key-42', group)).toBe('consumed');

    await page.click('#nav-groups');
    await page.click(`tr[data-group="${group}"]`, { timeout: LIVE_TIMEOUT_MS });
    await waitForText('#group-lag', '0');
    await page.selectOption('#reset-topic', topic);
    await page.click('#reset-offset');
    await waitForText('#group-lag', String(MESSAGES));
    await screenshot('groups');
    expect(await deliveryOf('key-42', group)).toBe('not consumed');
    await page.click('#nav-cluster');
    await page.locator('tr[data-broker="broker-a"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await screenshot('cluster');
  }, 90_000);
});
