// Specification of the tags hash code: Java String.hashCode() values written out, int32 overflow,
// and 0 for no tags.

import { describe, expect, it } from 'vitest';
import { javaStringHashCode, tagsCode } from '../../ts/protocol/tag-code.js';

describe('protocol: tags code', () => {
  it('is Java String.hashCode()', () => {
    expect(javaStringHashCode('hello')).toBe(99_162_322);
    expect(javaStringHashCode('TagA')).toBe(2_598_919);
    expect(javaStringHashCode('order-1')).toBe(-1_207_111_310);
    expect(javaStringHashCode('')).toBe(0);
  });

  it('hashes the whole TAGS value, and is 0 without tags', () => {
    expect(tagsCode('TagA')).toBe(2_598_919);
    expect(tagsCode('')).toBe(0);
    expect(tagsCode(undefined)).toBe(0);
  });
});
