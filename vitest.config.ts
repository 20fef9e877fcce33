import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests build their own app on :memory:; nothing is shared, so files run in parallel.
    pool: 'threads',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
})
