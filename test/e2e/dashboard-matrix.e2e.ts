import { mkdirSync } from 'node:fs'
import { join } from 'node:path'

import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { buildApp } from '../../server/app.ts'
import { listen, type Listening } from '../../server/listen.ts'
import { chromiumAvailable, launchChromium } from '../helpers/chromium.ts'
import { FIRST_PARTY, viaConnector } from '../helpers/connector.ts'
import { axeViolations, layoutProblems } from '../helpers/dashboard-page.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'
import { mintOverHttp } from '../helpers/tokens.ts'

const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots')

const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const
const SCHEMES = ['light', 'dark'] as const

/** Each main view, and the two side panels, as a user reaches them. */
const VIEWS: [name: string, open: (page: Page) => Promise<void>][] = [
  ['overview', (page) => go(page, 'overview')],
  ['environments', (page) => go(page, 'environments')],
  ['flows', (page) => go(page, 'flows')],
  [
    'permissions',
    async (page) => {
      await go(page, 'flows')
      await page
        .locator(`tr[data-flow="${CONTOSO.flows.invoiceApproval}"]`)
        .getByRole('button', { name: /Permissions/ })
        .click()
      await page.getByRole('dialog').waitFor()
    },
  ],
  ['requests', (page) => go(page, 'requests')],
  [
    'request-details',
    async (page) => {
      await go(page, 'requests')
      await page.locator('#journal-table tbody tr[data-status="429"]').first().click()
      await page.getByRole('dialog').waitFor()
    },
  ],
  ['throttling', (page) => go(page, 'throttling')],
  [
    'coverage',
    async (page) => {
      await go(page, 'coverage')
      await page.getByTestId('coverage-summary').waitFor()
    },
  ],
  ['controls', (page) => go(page, 'controls')],
  ['connect', (page) => go(page, 'connect')],
]

async function go(page: Page, view: string): Promise<void> {
  await page.evaluate(`location.hash = '#/${view}'`)
  await page.locator(`#${view}:not([hidden])`).waitFor()
  // Let a refresh in flight land before the page is measured.
  await page.waitForTimeout(350)
}

describe.runIf(chromiumAvailable())('the dashboard in every viewport and colour scheme', () => {
  let browser: Browser
  let listening: Listening
  let base: string

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    const app = await buildApp({ db: ':memory:', logLevel: 'silent', throttleFlowApi: true })
    listening = await listen(app, { host: '127.0.0.1', port: 0, httpsPort: 'off', dataDir: '' })
    base = listening.httpUrl
    // Something to show: a throttled connection, a throttled caller, an anonymous 401.
    const put = await fetch(`${base}/_emulator/throttling`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ limit: 3, windowSeconds: 60 }),
    })
    expect(put.status).toBe(200)
    const token = await mintOverHttp(base, { tenant: CONTOSO.tenantId, user: CONTOSO.admin.upn })
    const auth = { headers: { authorization: `Bearer ${token}` } }
    const flows = `/environments/${CONTOSO.defaultEnv}/flows`
    for (let i = 0; i < 4; i++) {
      await fetch(`${base}${viaConnector(FIRST_PARTY, `${flows}?${API}`)}`, auth)
      await fetch(`${base}${ADMIN}${flows}?${API}`, auth)
    }
    expect((await fetch(`${base}${ADMIN}${flows}?${API}`)).status).toBe(401)
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await listening?.close()
  })

  for (const viewport of VIEWPORTS) {
    for (const scheme of SCHEMES) {
      describe(`${viewport.width}×${viewport.height} ${scheme}`, () => {
        let page: Page
        const problems: string[] = []

        beforeAll(async () => {
          page = await browser.newPage({
            viewport: { width: viewport.width, height: viewport.height },
            colorScheme: scheme,
          })
          page.on('pageerror', (error) => problems.push(error.message))
          page.on('console', (m) => m.type() === 'error' && problems.push(m.text()))
          page.on('request', (request) => {
            if (!request.url().startsWith(base)) problems.push(`loaded from the network: ${request.url()}`)
          })
          await page.goto(`${base}/_emulator/ui`)
          await page.locator('#live-status.live').waitFor()
        })
        afterAll(() => page?.close())

        for (const [view, open] of VIEWS) {
          it(`${view}: fits, nothing clipped, no caller key, no serious accessibility issue`, async () => {
            await page.keyboard.press('Escape')
            await open(page)
            await page.screenshot({ path: join(SCREENSHOTS, `${view}-${viewport.name}-${scheme}.png`) })
            expect(await layoutProblems(page)).toEqual([])
            expect(await axeViolations(page)).toEqual([])
            expect(problems).toEqual([])
          })
        }

        if (viewport.name === 'phone') {
          it('opens the rail as a menu that fits the screen', async () => {
            await page.keyboard.press('Escape')
            await go(page, 'overview')
            await page.getByRole('button', { name: 'Menu' }).click()
            await page
              .getByRole('navigation', { name: 'Sections' })
              .getByRole('link', { name: 'Requests' })
              .waitFor()
            await page.screenshot({ path: join(SCREENSHOTS, `menu-${viewport.name}-${scheme}.png`) })
            expect(await layoutProblems(page)).toEqual([])
            await page
              .getByRole('navigation', { name: 'Sections' })
              .getByRole('link', { name: 'Requests' })
              .click()
            await page.locator('#requests:not([hidden])').waitFor()
            expect(await page.locator('#rail').isVisible()).toBe(false)
          })
        }

        it('large type: still fits', async () => {
          await page.keyboard.press('Escape')
          await go(page, 'requests')
          await page.getByRole('button', { name: 'Large type' }).click()
          await page.screenshot({ path: join(SCREENSHOTS, `requests-large-${viewport.name}-${scheme}.png`) })
          expect(await layoutProblems(page)).toEqual([])
          await page.getByRole('button', { name: 'Large type' }).click()
        })
      })
    }
  }
})
