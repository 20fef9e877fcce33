import { defineConfig } from 'vitest/config'

/**
 * `npm run test:e2e`: the slow end-to-end runs, kept out of `npm test` (.ci/run runs them after
 * it): Prism's validating proxy, the docs' blocks, pack and install, and the dashboard in every
 * viewport and colour scheme with the accessibility check.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    pool: 'forks',
    globalSetup: ['test/setup/local-ca.ts'],
    setupFiles: ['test/setup/contract-check.ts'],
    testTimeout: 10 * 60_000,
    hookTimeout: 10 * 60_000,
  },
})
