import { existsSync } from 'node:fs'

import { chromium, type Browser } from 'playwright-core'

/** Debian's package; another binary can be named with CHROMIUM_PATH. Nothing is ever downloaded. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

export const CHROMIUM_MISSING = `No Chromium at ${CHROMIUM_PATH}: install Debian's package ('sudo apt-get install -y chromium') or set CHROMIUM_PATH. The dashboard's browser tests need it.`

/**
 * Whether the browser tests run: in CI a missing Chromium is an error (the suite must not pass
 * without them); elsewhere the tests skip and say how to install it.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true
  if (process.env['CI']) throw new Error(CHROMIUM_MISSING)
  console.warn(`SKIPPED: ${CHROMIUM_MISSING}`)
  return false
}

/** Headless, and quiet on a machine without a network: no background calls to Google. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}
