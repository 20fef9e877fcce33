import { mkdirSync } from 'node:fs'
import { join } from 'node:path'

import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { buildApp } from '../../server/app.ts'
import { listen, type Listening } from '../../server/listen.ts'
import { chromiumAvailable, launchChromium } from '../helpers/chromium.ts'
import { FIRST_PARTY, viaConnector } from '../helpers/connector.ts'
import { API, CONTOSO } from '../helpers/demo.ts'
import { mintOverHttp } from '../helpers/tokens.ts'

/** Screenshots for a reviewer to look at; the folder is git-ignored. */
const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots')

describe.runIf(chromiumAvailable())('the dashboard in headless Chromium', () => {
  let browser: Browser
  let page: Page
  let listening: Listening
  let base: string

  const api = (method: string, path: string, token: string) =>
    fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}` } })
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  /** Text of one element, or of each when many: what the user reads, whitespace trimmed. */
  const text = async (locator: Locator): Promise<string | string[]> => {
    const all = (await locator.allTextContents()).map((t) => t.trim())
    return all.length === 1 ? all[0]! : all
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are checked by the assertions
  const json = async (res: Promise<Response>): Promise<any> => (await res).json()
  const flowRow = (flow: string) => page.locator(`#tenant-view tr[data-flow="${flow}"]`)
  /** The whole page from the top (the sticky header stays where it belongs), or one section. */
  const shot = async (name: string, section?: string) => {
    const path = join(SCREENSHOTS, `${name}.png`)
    if (section) return page.locator(section).screenshot({ path })
    await page.evaluate('window.scrollTo(0, 0)')
    return page.screenshot({ path, fullPage: true })
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    const app = await buildApp({ db: ':memory:', logLevel: 'silent' })
    listening = await listen(app, { host: '127.0.0.1', port: 0, httpsPort: 'off', dataDir: '' })
    base = listening.httpUrl
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text())
    })
    await page.goto(`${base}/_emulator/ui`)
    await page.locator('#live-status.live').waitFor()
    expect(problems).toEqual([])
  })

  afterAll(async () => {
    await browser?.close()
    await listening?.close()
  })

  it('shows the demo tenants, their flows with state badges, permissions and user details', async () => {
    await expect.poll(() => text(page.locator('#tenant-tabs [role=tab]'))).toEqual(['Contoso', 'Fabrikam'])
    const invoice = flowRow(CONTOSO.flows.invoiceApproval)
    await expect.poll(() => text(invoice)).toContain('Invoice approval')
    await expect.poll(() => text(invoice.getByTestId('flow-state'))).toEqual('Started')
    await expect
      .poll(() => text(flowRow(CONTOSO.flows.nightlyCleanup).getByTestId('flow-state')))
      .toEqual('Stopped')
    await expect
      .poll(() => text(flowRow(CONTOSO.flows.syncCrm).getByTestId('flow-state')))
      .toEqual('Suspended')

    await invoice.getByRole('button', { name: /Permissions/ }).click()
    const permissions = page.getByRole('table', { name: 'Permissions of Invoice approval' })
    await expect.poll(() => text(permissions)).toContain('Owner')
    await expect.poll(() => text(permissions)).toContain('Alex Analyst')
    await expect.poll(() => text(permissions)).toContain('Flow Operators')
    await expect.poll(() => text(permissions)).toContain('Group')
    await expect
      .poll(() => text(page.getByRole('table', { name: 'Flow user details' })))
      .toContain('Contoso Admin')

    await page.getByRole('tab', { name: 'Fabrikam' }).click()
    await expect.poll(() => text(page.getByTestId('tenant-view'))).toContain('Fabrikam')
    await page.getByRole('tab', { name: 'Contoso' }).click()
    await shot('flows')
  })

  it('disables a flow through the real API: the badge and the journal change', async () => {
    const invoice = flowRow(CONTOSO.flows.invoiceApproval)
    await invoice.getByRole('button', { name: 'Disable' }).click()
    await expect.poll(() => text(invoice.getByTestId('flow-state'))).toEqual('Stopped')
    const journalRow = page.locator('#journal-table tbody tr[data-operation="Disable-AdminFlow"]')
    await expect.poll(() => journalRow.count()).toBe(1)
    await expect.poll(() => journalRow.getAttribute('data-status')).toBe('200')

    // Keyboard: the row opens its details with Enter.
    await journalRow.focus()
    await page.keyboard.press('Enter')
    const details = page.getByTestId('request-details')
    await expect.poll(() => details.isVisible()).toBe(true)
    await expect.poll(() => text(details)).toContain(CONTOSO.flows.invoiceApproval)
    await expect.poll(() => text(details)).toContain(CONTOSO.admin.id)

    // The same change made by another client shows too, without a reload.
    const token = await mintFor(CONTOSO.admin.upn)
    const res = await api('POST', `${flowPath(CONTOSO.flows.invoiceApproval)}/start?${API}`, token)
    expect(res.status).toBe(200)
    await expect.poll(() => text(invoice.getByTestId('flow-state'))).toEqual('Started')
    await expect
      .poll(() => page.locator('#journal-table tbody tr[data-operation="Enable-AdminFlow"]').count())
      .toBe(1)
    await shot('journal')
  })

  it('shows a connection filling its window, and the 429 in the journal', async () => {
    expect((await control('PUT', '/_emulator/throttling', { limit: 5, windowSeconds: 60 })).status).toBe(200)
    const token = await mintFor(CONTOSO.admin.upn)
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) {
      const res = await api(
        'GET',
        `${viaConnector(FIRST_PARTY, `/environments/${CONTOSO.defaultEnv}/flows/${CONTOSO.flows.weeklyDigest}`)}/permissions`,
        token,
      )
      statuses.push(res.status)
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429])

    const meter = page.locator(`#throttle-meters li[data-connection="${FIRST_PARTY}"]`)
    await expect.poll(() => text(meter.getByTestId('meter-text'))).toEqual('5 / 5')
    await expect.poll(() => text(meter)).toContain('last 429')
    await expect.poll(() => meter.locator('meter').getAttribute('value')).toBe('5')
    // Drawn, not squeezed away by the text beside it.
    expect((await meter.locator('meter').boundingBox())!.width).toBeGreaterThan(80)

    await page.locator('#filter-status').selectOption('429')
    const rows = page.locator('#journal-table tbody tr')
    await expect.poll(() => rows.count()).toBe(2)
    await expect.poll(() => text(rows.first())).toContain(FIRST_PARTY)
    await page.locator('#filter-connection').selectOption(FIRST_PARTY)
    await expect.poll(() => rows.count()).toBe(2)
    await page.locator('#filter-status').selectOption('')
    await expect.poll(() => rows.count()).toBe(7)
    await page.locator('#filter-connection').selectOption('')
    await expect.poll(() => rows.count()).toBe(9)
    await shot('throttle', '#throttle')
    await shot('journal-429', '#journal')
  })

  it('adds and removes a fault rule, and advances the clock', async () => {
    const before = await json(control('GET', '/_emulator/clock'))
    await page.locator('#clock-seconds').fill('3600')
    await page.getByRole('button', { name: 'Advance' }).click()
    await expect.poll(() => text(page.locator('#control-message'))).toEqual('Clock advanced by 3600 s.')
    const after = await json(control('GET', '/_emulator/clock'))
    expect(Date.parse(after.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(3_600_000)

    await page.locator('#fault-operation').fill('Get-AdminFlow')
    await page.locator('#fault-kind').selectOption('preset:unavailable')
    await page.getByRole('button', { name: 'Add rule' }).click()
    await expect.poll(() => text(page.getByTestId('fault-list'))).toContain('unavailable · on Get-AdminFlow')
    const rules = await json(control('GET', '/_emulator/faults'))
    expect(rules.value).toMatchObject([{ operationId: 'Get-AdminFlow', preset: 'unavailable' }])

    await page.getByRole('button', { name: /^Remove rule/ }).click()
    await expect.poll(() => text(page.getByTestId('fault-list'))).toEqual('No fault rules.')
    expect((await json(control('GET', '/_emulator/faults'))).value).toEqual([])
  })

  it('offers the URLs, tenant ids, identities and snippets to connect a client', async () => {
    const panel = page.getByTestId('connect-view')
    await expect.poll(() => text(panel)).toContain(`${base}/providers/Microsoft.ProcessSimple/scopes/admin`)
    await expect.poll(() => text(panel)).toContain(CONTOSO.tenantId)
    await expect.poll(() => text(panel)).toContain(CONTOSO.admin.upn)
    await expect.poll(() => panel.getByRole('heading', { name: 'curl' }).isVisible()).toBe(true)
    await expect.poll(() => panel.getByRole('heading', { name: 'MSAL Node' }).isVisible()).toBe(true)
    await expect.poll(() => panel.getByRole('heading', { name: 'Azure Identity' }).isVisible()).toBe(true)
    await expect.poll(() => text(panel)).toContain(`acquireTokenByClientCredential`)
    await shot('connect', '#connect')
  })

  it('resets everything: flows, journal and meters are as at start', async () => {
    const token = await mintFor(CONTOSO.admin.upn)
    expect((await api('POST', `${flowPath(CONTOSO.flows.heartbeat)}/stop?${API}`, token)).status).toBe(200)
    await expect
      .poll(() => text(flowRow(CONTOSO.flows.heartbeat).getByTestId('flow-state')))
      .toEqual('Stopped')

    await page.locator('#reset-scope').selectOption('')
    await page.getByRole('button', { name: 'Reset', exact: true }).click()
    await expect.poll(() => text(page.locator('#control-message'))).toEqual('Everything reset.')
    await expect
      .poll(() => text(flowRow(CONTOSO.flows.heartbeat).getByTestId('flow-state')))
      .toEqual('Started')
    await expect.poll(() => page.locator('#journal-table tbody tr').count()).toBe(0)
    await expect
      .poll(() =>
        text(page.locator(`#throttle-meters li[data-connection="${FIRST_PARTY}"]`).getByTestId('meter-text')),
      )
      .toEqual('0 / 100')
    await shot('after-reset')
  })

  it('switches to large type and back, and keeps it across reloads', async () => {
    const size = () => page.evaluate<string>('getComputedStyle(document.documentElement).fontSize')
    const normal = await size()
    await page.getByRole('button', { name: 'Large type' }).click()
    await expect
      .poll(() => page.getByRole('button', { name: 'Large type' }).getAttribute('aria-pressed'))
      .toBe('true')
    expect(parseFloat(await size())).toBeGreaterThan(parseFloat(normal))
    await page.reload()
    await page.locator('#live-status.live').waitFor()
    expect(parseFloat(await size())).toBeGreaterThan(parseFloat(normal))
    await shot('large-type')
    await page.getByRole('button', { name: 'Large type' }).click()
    expect(await size()).toBe(normal)
  })

  const mintFor = (user: string) => mintOverHttp(base, { tenant: CONTOSO.tenantId, user })
  function flowPath(flow: string) {
    return `/providers/Microsoft.ProcessSimple/scopes/admin/environments/${CONTOSO.defaultEnv}/flows/${flow}`
  }
})
