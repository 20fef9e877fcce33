import { defineConfig } from 'vitest/config'

/**
 * `npm run test:clients`: real clients nobody here wrote (the Azure CLI, MSAL for Python, the CLI
 * for Microsoft 365, MSAL Node and Azure Identity), each against an emulator of its own. Kept out
 * of `npm test`: they take minutes. Files run one at a time: each spawns a heavy client.
 */
export default defineConfig({
  test: {
    include: ['test/clients/**/*.clients.ts'],
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['test/setup/local-ca.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
})
