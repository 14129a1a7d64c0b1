import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: two workers, each file with its own databases.
    maxWorkers: 2,
    // A worker keeps its modules from one test file to the next instead of importing the whole app again for each
    // (measured 2026-12-07: test/article-1* 99 → 68 s of wall time, 142 → 83 s of CPU; the whole suite ~928 s).
    // So no test may depend on module state set at import: what a test varies is passed as an option (buildApp's
    // webRoot, not an environment variable read when static-web.ts loads), and what it changes it restores.
    isolate: false,
  },
});
