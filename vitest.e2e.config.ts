import { defineConfig } from 'vitest/config'

/** The end-to-end suites (`npm run test:e2e`): slower, outside `npm test`. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    pool: 'forks',
    globalSetup: ['test/setup/local-ca.ts'],
    setupFiles: ['test/setup/contract-check.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
