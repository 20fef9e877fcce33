import type {} from 'vitest'
import type { TestProject } from 'vitest/node'

import { startEmulator, type StartEmulatorOptions } from './index.ts'

/**
 * `power-automate-admin-emulator/vitest`: one emulator for a whole vitest run. In
 * `vitest.config.ts`, `test: { globalSetup: ['power-automate-admin-emulator/vitest'] }`; in a test,
 * `inject('emulatorUrl')`. For options, a setup file of your own:
 * `export default emulatorGlobalSetup({ fixtures: './my-tenant.json' })`.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>`: the Flow admin API, the connector, the control plane. */
    emulatorUrl: string
    /** `https://127.0.0.1:<port>`: the Entra authority host, for MSAL and Azure Identity. */
    emulatorHttpsUrl: string
    /** The CA certificate that issued the HTTPS listener's: a client's `ca` option. */
    emulatorCaCertPath: string
  }
}

/** A vitest global setup that starts the emulator (free ports, in-memory database) and stops it after the run. */
export function emulatorGlobalSetup(options: StartEmulatorOptions = {}) {
  return async function setup(project: TestProject): Promise<() => Promise<void>> {
    const emulator = await startEmulator(options)
    project.provide('emulatorUrl', emulator.url)
    project.provide('emulatorHttpsUrl', emulator.httpsUrl ?? '')
    project.provide('emulatorCaCertPath', emulator.caCertPath ?? '')
    return () => emulator.close()
  }
}

export default emulatorGlobalSetup()
