// The recall handle codec against Java's `RecallMessageHandle` format: `v1 topic broker timestamp id` in URL-safe
// Base64 with padding (the expected strings are Java's `Base64.getUrlEncoder()` output for the same bytes).

import { describe, expect, it } from 'vitest';
import {
  decodeRecallHandle,
  encodeRecallHandle,
  RecallHandleError,
  timerDeleteKey,
} from '../../ts/protocol/recall-handle.js';

describe('protocol: recall handle', () => {
  it('encodes as Java does (URL-safe alphabet, padding kept) and decodes back', () => {
    const handle = { topic: 'T?>~', brokerName: 'b', timestamp: '17', messageId: 'IDx' };
    expect(encodeRecallHandle(handle)).toBe('djEgVD8-fiBiIDE3IElEeA==');
    expect(decodeRecallHandle('djEgVD8-fiBiIDE3IElEeA==')).toEqual(handle);
    expect(decodeRecallHandle('djEgVD8-fiBiIDE3IElEeA')).toEqual(handle);
    expect(decodeRecallHandle(encodeRecallHandle({ ...handle, messageId: 'ID' }))).toEqual({
      ...handle,
      messageId: 'ID',
    });
  });

  it('refuses what Java refuses: empty, not Base64, another version, fewer than five fields', () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    for (const text of ['', 'not base64!', 'djEgVD8+fiBi', b64('v2 T b 1 id'), b64('v1 T b 1'), 'a']) {
      expect(() => decodeRecallHandle(text), text).toThrow(RecallHandleError);
    }
    expect(() => decodeRecallHandle('')).toThrow('recall handle is invalid');
  });

  it('names a recalled message as Java `buildDeleteKey` does', () => {
    expect(timerDeleteKey('TopicA', 'ID1')).toBe('TopicA+ID1');
  });
});
