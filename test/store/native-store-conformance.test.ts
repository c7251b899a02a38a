// The MessageStore conformance suite against NativeMessageStore: real files in a fresh temp dir per
// test (1 MiB CommitLog files, small index files), the wall clock.

import { setTimeout as sleep } from 'node:timers/promises';
import { describeMessageStoreConformance } from './message-store-conformance.js';
import { openStore } from './store-fixtures.js';

describeMessageStoreConformance('native store', {
  open: (options = {}) => openStore({ commitLogFileSizeBytes: 1 << 20, ...options }),
  passTime: (ms) => sleep(ms),
});
