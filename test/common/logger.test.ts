// The pino-backed Logger: one JSON object per line with level (a name), time (ISO 8601) and msg, the
// bound fields of its children, and nothing below its level.

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../ts/common/logger.js';

function collecting(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  const lines = (): Array<Record<string, unknown>> =>
    text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines };
}

describe('logger: JSON lines through pino', () => {
  it('writes one JSON object per line with level, time and msg, and the fields given', async () => {
    const { stream, lines } = collecting();
    const logger = createJsonLogger('info', { role: 'broker' }, { destination: stream });
    logger.info('broker started', { addr: '127.0.0.1:10911' });
    logger.child({ component: 'meta' }).error('metadata file could not be read', { path: '/x' });
    await new Promise((resolve) => setImmediate(resolve));
    const [started, failed] = lines();
    expect(started).toMatchObject({ level: 'info', msg: 'broker started', role: 'broker', addr: '127.0.0.1:10911' });
    expect(new Date(String(started?.time)).toISOString()).toBe(started?.time);
    expect(failed).toMatchObject({ level: 'error', msg: 'metadata file could not be read', component: 'meta' });
    expect(failed).toMatchObject({ role: 'broker', path: '/x' });
  });

  it('binds a rebound field once, with the value of the child', async () => {
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString('utf8');
        done();
      },
    });
    createJsonLogger('info', { component: 'a' }, { destination: stream }).child({ component: 'b' }).info('x');
    await new Promise((resolve) => setImmediate(resolve));
    expect(text.match(/"component"/g)).toHaveLength(1);
    expect(JSON.parse(text)).toMatchObject({ component: 'b', msg: 'x' });
  });

  it('drops lines below its level, and everything when silent', async () => {
    const { stream, lines } = collecting();
    const logger = createJsonLogger('warn', {}, { destination: stream });
    logger.debug('connection opened');
    logger.info('client registered');
    logger.warn('unknown broker.conf key ignored', { key: 'x' });
    createJsonLogger('silent', {}, { destination: stream }).error('never');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines().map((line) => [line.level, line.msg])).toEqual([['warn', 'unknown broker.conf key ignored']]);
  });
});
