// Request-reply with the official Go client (rocketmq-client-go/v2, test/compat/go's `request` and
// `reply` commands) against our registry and broker: Producer.Request (sync) and RequestAsync answered
// by a Go replier (consumer.CreateReplyMessage sent as SEND_REPLY_MESSAGE, 324).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../ts/client/admin/admin.js';
import { createMemoryLogger } from '../../ts/common/logger.js';
import { type CompatCluster, startCompatCluster } from './compat-fixtures.js';
import { buildGoProbe, goProbe } from './go-fixtures.js';

describe('compat: Go request-reply against our broker', () => {
  let cluster: CompatCluster;

  beforeAll(async () => {
    await buildGoProbe();
    cluster = await startCompatCluster();
  }, 600_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  /** A topic of one queue, created through the admin API and routed by the registry. */
  async function createTopic(topic: string): Promise<void> {
    const admin = new Admin({ namesrvAddr: cluster.namesrv, clientIp: '127.0.0.1', logger: createMemoryLogger() });
    await admin.startup();
    try {
      await admin.createTopic(topic, { readQueueNums: 1, writeQueueNums: 1 });
      const routed = async (): Promise<boolean> => (await admin.topicRoute(topic).catch(() => null)) !== null;
      for (let tries = 0; !(await routed()); tries++) {
        if (tries > 100) throw new Error(`no route of ${topic}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await admin.shutdown();
    }
  }

  it('round-trips Request and RequestAsync with a Go replier', async () => {
    await createTopic('GoRequestTopic');
    const replier = goProbe('reply', cluster.namesrv, 'go_replier', 'GoRequestTopic', '5', '80000');
    // Awaited below; a failed expectation before that must not leave its rejection unhandled.
    void replier.catch(() => undefined);
    const sync = await goProbe('request', cluster.namesrv, 'GoRequestTopic', '3', 'sync', '--timeout-ms', '30000');
    expect(sync.at(-1)).toEqual({ done: true, replies: 3, failed: 0 });
    expect(sync.slice(0, 3).map((line) => line['reply'])).toEqual(['reply:req-0', 'reply:req-1', 'reply:req-2']);
    expect(sync.slice(0, 3).every((line) => line['topic'] === 'DefaultCluster_REPLY_TOPIC')).toBe(true);
    const async = await goProbe('request', cluster.namesrv, 'GoRequestTopic', '2', 'async', '--timeout-ms', '30000');
    expect(async.at(-1)).toEqual({ done: true, replies: 2, failed: 0 });
    expect(
      async
        .filter((line) => line['reply'] !== undefined)
        .map((line) => line['reply'])
        .sort(),
    ).toEqual(['reply:req-0', 'reply:req-1']);
    const replied = await replier;
    expect(replied.at(-1)).toEqual({ done: true, replied: 5 });
    expect(replied.filter((line) => line['status'] === 'SEND_OK')).toHaveLength(5);
  }, 180_000);
});
