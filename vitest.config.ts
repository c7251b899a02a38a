// vitest: every suite under test/, in forked processes (the N-API addon must not load in worker
// threads), after a global check that the addon has been built.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
  },
});
