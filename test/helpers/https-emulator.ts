import { onTestFinished } from 'vitest'

import { buildApp } from '../../server/app.ts'
import { fixedClock } from '../../server/clock.ts'
import { listen } from '../../server/listen.ts'

/**
 * The emulator listening on HTTP and HTTPS on free ports, with the run's trusted local CA
 * (test/setup/local-ca.ts) and a clock that starts at the real time (MSAL checks expiry against
 * its own clock) but can be moved.
 */
export async function startHttpsEmulator() {
  const dataDir = process.env['EMULATOR_TEST_DATA_DIR']
  if (!dataDir)
    throw new Error('EMULATOR_TEST_DATA_DIR is not set: run through vitest (test/setup/local-ca.ts)')
  const clock = fixedClock(new Date().toISOString())
  const app = await buildApp({ db: ':memory:', clock, logLevel: 'silent', deviceCodeInterval: 1 })
  const listening = await listen(app, { host: '127.0.0.1', port: 0, httpsPort: 0, dataDir })
  onTestFinished(() => listening.close())
  const httpsUrl = listening.httpsUrl!
  return { app, clock, listening, httpsUrl, host: new URL(httpsUrl).host }
}
