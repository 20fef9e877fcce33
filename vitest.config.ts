import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Forked processes, so NODE_EXTRA_CA_CERTS set by the global setup applies to each of them.
    // Tests build their own app on :memory:; nothing is shared, so files run in parallel.
    pool: 'forks',
    globalSetup: ['test/setup/local-ca.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
