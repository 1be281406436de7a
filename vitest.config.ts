import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // No test may reach the internet: fetch refuses every address but 127.0.0.1.
    setupFiles: ['test/setup/no-network.ts'],
  },
});
