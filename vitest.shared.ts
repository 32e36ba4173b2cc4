import { defineConfig } from 'vitest/config';

/**
 * For packages whose tests start servers and child processes: on a loaded 2-core CI machine a
 * single case can take seconds, so the timeout guards against hangs, not against slowness.
 */
export const slowTestsConfig = defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
