import { defineConfig } from 'vitest/config'

/** `npm run test:stress`: the long runs, kept out of `npm test`. */
export default defineConfig({
  test: {
    include: ['test/stress/**/*.stress.ts'],
    pool: 'forks',
    globalSetup: ['test/setup/local-ca.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 60_000,
  },
})
