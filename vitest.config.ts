// Test projects: unit tests sit beside the code, integration tests run against the real dockerd, e2e tests drive Chromium.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Coverage gate on the security-critical pure code (run by `npm test` with the unit project).
    coverage: {
      provider: 'v8',
      include: ['src/policy/**/*.ts'],
      exclude: ['**/*.test.ts', '**/*.test-data.ts'],
      reporter: ['text-summary'],
      thresholds: {
        'src/policy/**/*.ts': { lines: 95, statements: 95, branches: 88, functions: 95 },
      },
    },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'web/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          globalSetup: ['test/helpers/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // The browser and the daemon share a busy machine: a UI change may take seconds to show.
          expect: { poll: { timeout: 15_000, interval: 100 } },
          fileParallelism: false,
          // The UI is built (when web/ changed) before the server starts serving dist/web.
          globalSetup: ['test/helpers/global-setup.ts', 'test/e2e/build-ui.ts'],
        },
      },
    ],
  },
});
