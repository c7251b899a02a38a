// Specification of the route constants shared by registry, broker and client (Java PermName, MixAll).

import { describe, expect, it } from 'vitest';
import { MASTER_ID, PERM_INHERIT, PERM_PRIORITY, PERM_READ, PERM_WRITE } from '../../ts/protocol/route-types.js';

describe('protocol: route constants', () => {
  it('uses Java PermName bits and MixAll.MASTER_ID', () => {
    expect([PERM_PRIORITY, PERM_READ, PERM_WRITE, PERM_INHERIT, MASTER_ID]).toEqual([8, 4, 2, 1, 0]);
    expect(PERM_READ | PERM_WRITE).toBe(6);
  });
});
