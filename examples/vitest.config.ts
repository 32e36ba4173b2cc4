import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // These tests start servers and child processes; on a loaded 2-core CI machine a single
    // case can take seconds, so the timeout guards against hangs, not against slowness.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
