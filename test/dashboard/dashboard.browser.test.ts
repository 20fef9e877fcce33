import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { buildApp } from '../../server/app.ts'
import { listen, type Listening } from '../../server/listen.ts'
import { chromiumAvailable, launchChromium } from '../helpers/chromium.ts'
import { FIRST_PARTY, viaConnector } from '../helpers/connector.ts'
import { axeViolations, CALLER_KEY, layoutProblems } from '../helpers/dashboard-page.ts'
import { API, CONTOSO, FABRIKAM } from '../helpers/demo.ts'
import { mintOverHttp } from '../helpers/tokens.ts'

/** Screenshots for a reviewer to look at; the folder is git-ignored. */
const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots')
const POWERSHELL = 'Microsoft Azure PowerShell'

describe.runIf(chromiumAvailable())('the dashboard in headless Chromium', () => {
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let listening: Listening
  let base: string
  const problems: string[] = []

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
  const rail = () => page.getByRole('navigation', { name: 'Sections' })
  const open = async (view: string) => {
    await rail().getByRole('link', { name: view, exact: true }).click()
    await page.locator(`#${view.toLowerCase()}:not([hidden])`).waitFor()
  }
  const flyout = () => page.getByRole('dialog')
  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
  /**
   * Where an element is drawn. A live refresh draws the command bar and the grids again, and an
   * element measured in between has no box: measured again once it is back.
   */
  const boxOf = async (locator: Locator) => {
    await expect.poll(() => locator.boundingBox()).not.toBeNull()
    return (await locator.boundingBox())!
  }
  /**
   * Whether the toast saying `text` shows next to `anchor` (within 80 px below or above it);
   * waits for it, as older toasts may still be on screen.
   */
  const toastNear = async (anchor: Locator, text: string) => {
    const toast = page.locator('#toasts .toast').filter({ hasText: text }).last()
    await toast.waitFor()
    expect((await toast.textContent())!.trim()).toBe(text)
    const [t, a] = [await boxOf(toast), await boxOf(anchor)]
    return Math.abs(t.y - (a.y + a.height)) < 80 || Math.abs(a.y - (t.y + t.height)) < 80
  }
  const mintFor = (user: string) => mintOverHttp(base, { tenant: CONTOSO.tenantId, user })
  const flowPath = (flow: string) =>
    `/providers/Microsoft.ProcessSimple/scopes/admin/environments/${CONTOSO.defaultEnv}/flows/${flow}`

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    const app = await buildApp({ db: ':memory:', logLevel: 'silent', throttleFlowApi: true })
    listening = await listen(app, { host: '127.0.0.1', port: 0, httpsPort: 'off', dataDir: '' })
    base = listening.httpUrl
    browser = await launchChromium()
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base })
    page = await context.newPage()
    // A missing element fails its step quickly, with its name, not the whole test at 30 s.
    page.setDefaultTimeout(5000)
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text())
    })
    page.on('request', (request) => {
      if (!request.url().startsWith(base) && !request.url().startsWith('blob:'))
        problems.push(`loaded from the network: ${request.url()}`)
    })
    await page.goto(`${base}/_emulator/ui`)
    await page.locator('#live-status.live').waitFor()
    expect(problems).toEqual([])
  })

  afterAll(async () => {
    expect(problems).toEqual([])
    await browser?.close()
    await listening?.close()
  })

  it('opens on the overview: a card per figure, each linking to its view, with no serious accessibility issue', async () => {
    const cards = page.getByTestId('overview-cards').locator('.card')
    await expect.poll(() => cards.count()).toBe(6)
    await expect.poll(() => text(page.getByTestId('card-tenants'))).toBe('2')
    await expect.poll(() => text(page.getByTestId('card-faults'))).toBe('0')
    await expect.poll(() => text(page.getByTestId('card-listeners'))).toBe('1')
    expect(await text(page.locator('[data-card="listeners"] .note'))).toBe(`HTTP :${new URL(base).port}`)
    expect(await axeViolations(page)).toEqual([])
    expect(await layoutProblems(page)).toEqual([])
    await shot('browser-overview')
    await page.locator('[data-card="throttled"] a').click()
    await page.locator('#throttling:not([hidden])').waitFor()
    expect(await rail().locator('[aria-current=page]').textContent()).toBe('Throttling')
    expect(await text(page.locator('#crumb-view'))).toBe('Throttling')
    await page.locator('[href="#/overview"]').first().click()
    await page.locator('#overview:not([hidden])').waitFor()
  })

  it('lists environments of the tenant picked in the breadcrumb, names first, ids behind a copy button', async () => {
    await open('Environments')
    const view = page.getByTestId('environments-view')
    await expect.poll(() => text(view)).toContain('Contoso (default)')
    expect(await text(view)).not.toContain(CONTOSO.defaultEnv)
    const copy = view.getByRole('button', { name: 'Copy environment name of Contoso (default)' })
    await copy.click()
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(CONTOSO.defaultEnv)
    expect(await toastNear(copy, `Copied ${CONTOSO.defaultEnv}`)).toBe(true)

    await page.getByTestId('tenant-picker').selectOption({ label: 'Fabrikam' })
    await expect.poll(() => text(view)).toContain('Fabrikam')
    await page.getByTestId('tenant-picker').selectOption({ label: 'Contoso' })
    await view.locator(`tr[data-environment="${CONTOSO.defaultEnv}"] button.link`).click()
    await page.locator('#flows:not([hidden])').waitFor()
    expect(await page.getByTestId('environment-picker').inputValue()).toBe(CONTOSO.defaultEnv)
  })

  it('shows flows by name with state badges and owners, and acts on the selection through the real API', async () => {
    const invoice = flowRow(CONTOSO.flows.invoiceApproval)
    await expect.poll(() => text(invoice.getByTestId('flow-state'))).toEqual('Started')
    expect(await text(invoice)).toContain('Megan Maker')
    expect(await text(page.getByTestId('tenant-view'))).not.toContain(CONTOSO.flows.invoiceApproval)
    await expect
      .poll(() => text(flowRow(CONTOSO.flows.syncCrm).getByTestId('flow-state')))
      .toEqual('Suspended')
    const command = (name: string) =>
      page.getByRole('toolbar', { name: 'Flow actions' }).getByRole('button', { name })
    expect(await command('Turn off').isDisabled()).toBe(true)

    await invoice.getByRole('checkbox').check()
    await flowRow(CONTOSO.flows.weeklyDigest).getByRole('checkbox').check()
    expect(await text(page.getByTestId('selection'))).toBe('2 selected')
    await command('Turn off').click()
    expect(await toastNear(command('Turn off'), `2 flows turned off as ${CONTOSO.admin.upn}.`)).toBe(true)
    await expect.poll(() => text(invoice.getByTestId('flow-state'))).toEqual('Stopped')
    await expect
      .poll(() => text(flowRow(CONTOSO.flows.weeklyDigest).getByTestId('flow-state')))
      .toEqual('Stopped')
    const flow = await json(
      api('GET', `${flowPath(CONTOSO.flows.invoiceApproval)}?${API}`, await mintFor(CONTOSO.admin.upn)),
    )
    expect(flow.properties.state).toBe('Stopped')
    await command('Turn on').click()
    await expect.poll(() => text(invoice.getByTestId('flow-state'))).toEqual('Started')
    await flowRow(CONTOSO.flows.weeklyDigest).getByRole('checkbox').uncheck()

    await command('Delete').click()
    await expect.poll(() => text(invoice.getByTestId('flow-state'))).toEqual('Deleted')
    expect(await command('Restore').isDisabled()).toBe(false)
    await command('Restore').click()
    await expect.poll(() => text(invoice.getByTestId('flow-state'))).toEqual('Stopped')
    await command('Turn on').click()
    await expect.poll(() => text(invoice.getByTestId('flow-state'))).toEqual('Started')
    await shot('browser-flows')
  })

  it("opens permissions in a side panel: the API's order and count, hidden principals marked, sharing", async () => {
    await flowRow(CONTOSO.flows.invoiceApproval).getByRole('button', { name: 'Permissions (3)' }).click()
    const panel = flyout()
    await expect.poll(() => text(panel.locator('#flyout-title'))).toBe('Permissions of Invoice approval')
    expect(await text(panel.getByTestId('api-count'))).toContain('The API lists 3 roles')
    const rows = panel.locator('.permissions li')
    expect(await rows.count()).toBe(4)
    expect(await text(rows.first())).toMatch(/^Owner\s*Megan Maker/)
    expect(await text(rows.last())).toContain('Contoso Flow Automation')
    expect(await text(rows.last())).toContain('Hidden from the API')
    expect(await panel.locator('.hidden-from-api').count()).toBe(1)

    // Manage owners: share with a user, then remove the role, each through Edit-AdminFlowOwnerRole.
    await panel.getByRole('combobox', { name: 'User or group' }).selectOption({ label: CONTOSO.ppadmin.upn })
    await panel.getByRole('combobox', { name: 'Role' }).selectOption('CanView')
    await panel.getByRole('button', { name: 'Add' }).click()
    await expect.poll(() => rows.count()).toBe(5)
    await expect.poll(() => text(panel.getByTestId('api-count'))).toContain('The API lists 4 roles')
    const token = await mintFor(CONTOSO.admin.upn)
    const listed = await json(
      api('GET', `${flowPath(CONTOSO.flows.invoiceApproval)}/permissions?${API}`, token),
    )
    expect(listed.value).toHaveLength(4)
    await panel
      .locator(`li[data-principal="${CONTOSO.ppadmin.id}"]`)
      .getByRole('button', { name: /^Remove/ })
      .click()
    await expect.poll(() => rows.count()).toBe(4)
    await shot('browser-permissions')
    await page.keyboard.press('Escape')
    expect(await panel.isVisible()).toBe(false)
    // Its confirmations go with it, rather than float over the grid.
    expect(await page.locator('#toasts .toast', { hasText: CONTOSO.ppadmin.upn }).count()).toBe(0)

    // Manage owners in the command bar opens the same panel, for exactly one selected flow.
    await flowRow(CONTOSO.flows.nightlyCleanup).getByRole('checkbox').check()
    expect(await page.getByRole('button', { name: 'Manage owners' }).isDisabled()).toBe(true)
    await flowRow(CONTOSO.flows.invoiceApproval).getByRole('checkbox').uncheck()
    await page.getByRole('button', { name: 'Manage owners' }).click()
    await expect.poll(() => text(panel.locator('#flyout-title'))).toBe('Permissions of Nightly cleanup')
    await panel.getByRole('button', { name: 'Close' }).click()
    await flowRow(CONTOSO.flows.nightlyCleanup).getByRole('checkbox').uncheck()
  })

  it('moves through the flows grid with the keyboard: one tab stop, arrow keys, focus kept across refreshes', async () => {
    await open('Flows')
    const grid = page.getByRole('grid', { name: 'Flows in Contoso (default)' })
    await grid.waitFor()
    expect(await grid.getAttribute('aria-multiselectable')).toBe('true')
    const GRID = "document.querySelector('#tenant-view table[role=grid]')"
    const tabStops = () =>
      page.evaluate<number>(
        `[...${GRID}.querySelectorAll('input, button, td, th')].filter((e) => e.tabIndex >= 0).length`,
      )
    const inGrid = () => page.evaluate<boolean>(`${GRID}.contains(document.activeElement)`)
    expect(await tabStops()).toBe(1)
    /** Where focus is: the row's flow (or the header), the column, and what holds it. */
    const focused = () =>
      page.evaluate<{ flow: string | null; column: number; tag: string; label: string | null }>(
        `(() => {
          const e = document.activeElement
          const cell = e.closest('td, th')
          return {
            flow: e.closest('tr')?.getAttribute('data-flow') ?? null,
            column: cell ? cell.cellIndex : -1,
            tag: e.tagName,
            label: e.getAttribute('aria-label'),
          }
        })()`,
      )
    const rows = grid.locator('tbody tr')
    const flows = await rows.evaluateAll((all) => all.map((r) => r.getAttribute('data-flow')!))
    expect(flows.length).toBeGreaterThan(3)

    // Tab from the environment picker reaches the grid once, at the cell last focused in it (where
    // the tests before clicked); Ctrl+Home goes to the header, ArrowDown to the first flow.
    await page.getByTestId('environment-picker').focus()
    let presses = 0
    while (!(await inGrid()) && presses++ < 10) await page.keyboard.press('Tab')
    expect(await inGrid()).toBe(true)
    expect(await page.evaluate<number>('document.activeElement.tabIndex')).toBe(0)
    await page.keyboard.press('Control+Home')
    expect(await focused()).toMatchObject({ flow: null, column: 0, label: 'Select all flows' })
    await page.keyboard.press('ArrowDown')
    expect(await focused()).toMatchObject({ flow: flows[0], column: 0, tag: 'INPUT' })
    await page.keyboard.press('ArrowRight')
    expect(await focused()).toMatchObject({ flow: flows[0], column: 1, tag: 'BUTTON' })
    expect((await focused()).label).toMatch(/^Copy flow name of /)
    await page.keyboard.press('ArrowRight')
    expect(await focused()).toMatchObject({ flow: flows[0], column: 2, tag: 'TD' })
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await focused()).toMatchObject({ flow: flows[2], column: 2, tag: 'TD' })
    // The ring shows on a focused cell.
    const ring = await page.evaluate<string>(
      '(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + " " + s.outlineWidth })()',
    )
    expect(ring).toBe('solid 2px')
    expect(await tabStops()).toBe(1)
    await page.keyboard.press('End')
    expect(await focused()).toMatchObject({ flow: flows[2], column: 5, tag: 'BUTTON' })
    expect(await page.evaluate<string>('document.activeElement.textContent')).toMatch(/^Permissions \(\d\)$/)
    await page.keyboard.press('Home')
    expect(await focused()).toMatchObject({ flow: flows[2], column: 0, tag: 'INPUT' })
    await page.keyboard.press('Control+End')
    expect(await focused()).toMatchObject({ flow: flows.at(-1), column: 5 })
    await page.keyboard.press('Control+Home')
    expect(await focused()).toMatchObject({ flow: null, column: 0, label: 'Select all flows' })
    await page.keyboard.press('ArrowDown')
    expect(await focused()).toMatchObject({ flow: flows[0], column: 0 })

    // Space selects the row; focus stays on its checkbox though the grid is drawn again.
    await page.keyboard.press('Space')
    await expect.poll(() => text(page.getByTestId('selection'))).toBe('1 selected')
    expect(await rows.first().getAttribute('aria-selected')).toBe('true')
    expect(await focused()).toMatchObject({ flow: flows[0], column: 0, tag: 'INPUT' })
    await page.keyboard.press('Space')
    await expect.poll(() => text(page.getByTestId('selection'))).toBe('')

    // The page draws the grid again on every refresh (every two seconds at least): focus stays in
    // the same cell of the new grid.
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    expect(await focused()).toMatchObject({ flow: flows[1], column: 2, tag: 'TD' })
    await page.evaluate(`${GRID}.dataset.drawn = 'before'`)
    await expect
      .poll(() => page.evaluate<boolean>(`${GRID}.dataset.drawn === undefined`), { timeout: 5000 })
      .toBe(true)
    expect(await focused()).toMatchObject({ flow: flows[1], column: 2, tag: 'TD' })
    expect(await tabStops()).toBe(1)
    expect(await axeViolations(page)).toEqual([])
    await shot('browser-flows-grid-focus')
    // Tab leaves the grid in one press.
    await page.keyboard.press('Tab')
    expect(await inGrid()).toBe(false)
  })

  it('shows requests with callers by name, and their details with headers, bodies and copy as curl', async () => {
    await open('Requests')
    const rows = page.locator('#journal-table tbody tr')
    await expect
      .poll(() => page.locator('#journal-table tbody tr[data-operation="Disable-AdminFlow"]').count())
      .toBe(2)
    expect(await text(rows.first())).toContain(`${CONTOSO.admin.upn} · ${POWERSHELL}`)
    expect(await page.locator('body').innerText()).not.toMatch(CALLER_KEY)

    // An anonymous call: its 401 carries WWW-Authenticate, which the details show.
    expect((await fetch(`${base}${flowPath(CONTOSO.flows.invoiceApproval)}?${API}`)).status).toBe(401)
    const denied = page.locator('#journal-table tbody tr[data-status="401"]')
    await expect.poll(() => denied.count()).toBe(1)
    expect(await text(denied.locator('.caller'))).toBe('anonymous')
    await denied.click()
    await flyout().getByRole('tab', { name: 'Response' }).click()
    await expect
      .poll(() => text(flyout().getByRole('table', { name: 'Response headers' })))
      .toMatch(/www-authenticate\s*Bearer/)

    // Keyboard: the rows are one tab stop, arrows move between them, Enter opens one.
    await page.keyboard.press('Escape')
    await rows.first().focus()
    await page.keyboard.press('ArrowDown')
    const second = await rows.nth(1).getAttribute('data-id')
    expect(await page.evaluate<string | null>("document.activeElement?.getAttribute('data-id')")).toBe(second)
    await page.keyboard.press('Enter')
    const details = page.getByTestId('request-details')
    await expect.poll(() => details.isVisible()).toBe(true)
    await expect.poll(() => text(details)).toContain('Caller')
    await expect.poll(() => text(details)).toContain(POWERSHELL)
    expect(await text(details)).not.toContain(CONTOSO.admin.id)
    const requestHeaders = flyout().getByRole('table', { name: 'Request headers' })
    await expect.poll(() => text(requestHeaders)).toMatch(/authorization\s*\[redacted\]/)
    // Tabs: arrow keys move between Request and Response.
    await flyout().getByRole('tab', { name: 'Request' }).focus()
    await page.keyboard.press('ArrowRight')
    expect(await flyout().getByRole('tab', { name: 'Response' }).getAttribute('aria-selected')).toBe('true')
    expect(await flyout().getByRole('table', { name: 'Response headers' }).isVisible()).toBe(true)

    const entry = (await json(control('GET', '/_emulator/requests'))).value.find(
      (e: { id: string }) => e.id === second,
    )
    await flyout().getByRole('button', { name: 'Copy as curl' }).click()
    const curl = await page.evaluate<string>('navigator.clipboard.readText()')
    expect(curl).toContain(`curl -X ${entry.method} '${base}${entry.path}'`)
    expect(curl).toContain('-H "Authorization: Bearer $TOKEN"')
    expect(curl).not.toContain('[redacted]')
    await shot('browser-request-details')
    // Focus goes back to the row that opened the panel.
    await page.keyboard.press('Escape')
    expect(await page.evaluate<string | null>("document.activeElement?.getAttribute('data-id')")).toBe(second)
  })

  it('searches, filters by status chip, exports HAR 1.2, and clears to an empty state', async () => {
    expect((await control('PUT', '/_emulator/throttling', { limit: 5, windowSeconds: 60 })).status).toBe(200)
    const token = await mintFor(CONTOSO.admin.upn)
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) {
      const path = viaConnector(
        FIRST_PARTY,
        `/environments/${CONTOSO.defaultEnv}/flows/${CONTOSO.flows.weeklyDigest}`,
      )
      statuses.push((await api('GET', `${path}/permissions`, token)).status)
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429])
    const rows = page.locator('#journal-table tbody tr')
    await expect.poll(() => page.locator('#journal-table tbody tr[data-status="429"]').count()).toBe(2)

    await page.getByRole('button', { name: '429', exact: true }).click()
    await expect.poll(() => rows.count()).toBe(2)
    await rows.first().click()
    await flyout().getByRole('tab', { name: 'Response' }).click()
    const retryAfter = await text(flyout().getByRole('table', { name: 'Response headers' }))
    expect(retryAfter).toMatch(/retry-after\s*\d+/)
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: 'All', exact: true }).click()

    const search = page.getByRole('searchbox', { name: 'Search requests' })
    // Every word must match: the two 429s, and any other call whose random request id holds "429".
    const owners = await json(control('GET', '/_emulator/requests?operationId=Get-AdminFlowOwnerRole'))
    const expected = owners.value.filter(
      (e: { id: string; path: string; status: number }) =>
        e.status === 429 || e.id.includes('429') || e.path.includes('429'),
    )
    expect(expected.filter((e: { status: number }) => e.status === 429)).toHaveLength(2)
    await search.fill('Get-AdminFlowOwnerRole 429')
    await expect.poll(() => rows.count()).toBe(expected.length)
    await search.fill('no such thing')
    await expect
      .poll(() => text(page.getByTestId('journal-empty')))
      .toBe('No request matches the search and status.')
    await search.fill('')
    const total = await rows.count()

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export HAR' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^emulator-requests-.*\.har$/)
    const har = JSON.parse(readFileSync(await download.path(), 'utf8'))
    expect(har.log.version).toBe('1.2')
    expect(har.log.creator.name).toBe('power-automate-admin-emulator')
    expect(har.log.entries).toHaveLength(total)
    const last = har.log.entries.at(-1)
    expect(last.response.status).toBe(429)
    expect(last.request.url).toBe(
      `${base}${viaConnector(FIRST_PARTY, `/environments/${CONTOSO.defaultEnv}/flows/${CONTOSO.flows.weeklyDigest}`)}/permissions`,
    )
    expect(last.response.headers).toContainEqual({
      name: 'retry-after',
      value: expect.stringMatching(/^\d+$/),
    })
    expect(last.request.headers).toContainEqual({ name: 'authorization', value: '[redacted]' })
    for (const e of har.log.entries) {
      expect(Date.parse(e.startedDateTime)).not.toBeNaN()
      expect(e.timings.wait).toBe(e.time)
    }
    await shot('browser-requests')

    const clear = page.getByRole('button', { name: 'Clear' })
    await clear.click()
    expect(await toastNear(clear, 'Journal cleared.')).toBe(true)
    await expect.poll(() => text(page.getByTestId('journal-empty'))).toMatch(/^No requests yet/)
    expect(await page.locator('#journal-table').isVisible()).toBe(false)
    expect((await json(control('GET', '/_emulator/requests'))).value).toEqual([])
  })

  it("shows the picked tenant's requests and those of no known tenant; others are counted, not shown", async () => {
    const discovery = (tenant: string) => fetch(`${base}/${tenant}/v2.0/.well-known/openid-configuration`)
    expect((await discovery(FABRIKAM.tenantId)).status).toBe(200)
    expect((await discovery(CONTOSO.domain)).status).toBe(200)
    expect((await fetch(`${base}${flowPath(CONTOSO.flows.heartbeat)}?${API}`)).status).toBe(401)
    const rows = page.locator('#journal-table tbody tr')
    const scope = page.getByTestId('journal-scope')
    await expect
      .poll(() => text(scope))
      .toBe(
        "Contoso's requests, and those of no known tenant. 1 of other tenants hidden: pick their tenant above.",
      )
    await expect.poll(() => rows.count()).toBe(2)
    expect(await rows.evaluateAll((all) => all.map((r) => r.getAttribute('data-status')))).toEqual([
      '401',
      '200',
    ])
    expect(await text(rows.nth(1))).toContain('Entra-')

    await page.getByTestId('tenant-picker').selectOption({ label: 'Fabrikam' })
    await expect
      .poll(() => text(scope))
      .toBe(
        "Fabrikam's requests, and those of no known tenant. 1 of other tenants hidden: pick their tenant above.",
      )
    await expect.poll(() => rows.count()).toBe(2)
    const shown = await json(control('GET', '/_emulator/requests'))
    const fabrikam = shown.value.find((e: { tenant: string | null }) => e.tenant === FABRIKAM.tenantId)
    expect(await rows.evaluateAll((all) => all.map((r) => r.getAttribute('data-id')))).toEqual([
      shown.value[0].id,
      fabrikam.id,
    ])
    await page.getByTestId('tenant-picker').selectOption({ label: 'Contoso' })
    await expect.poll(() => text(scope)).toMatch(/^Contoso's requests/)
  })

  it('shows requests per minute and 4xx/5xx as the server counts them, each card linking to Requests', async () => {
    await open('Overview')
    const figures = async () => {
      const traffic = await json(control('GET', '/_emulator/traffic'))
      return {
        shown: [await text(page.getByTestId('card-rate')), await text(page.getByTestId('card-errors'))],
        server: [String(traffic.requestsPerMinute), `${traffic.clientErrors} / ${traffic.serverErrors}`],
        traffic,
      }
    }
    // The page refreshes every two seconds, the server's figures may move in between: polled.
    await expect
      .poll(async () => {
        const { shown, server } = await figures()
        return shown.join() === server.join()
      })
      .toBe(true)
    const { traffic } = await figures()
    // At least the 401 and the two 429s of the Requests tests above.
    expect(traffic.clientErrors).toBeGreaterThanOrEqual(3)
    expect(traffic.throttled).toBeGreaterThanOrEqual(2)
    expect(traffic.requestsPerMinute).toBeGreaterThan(0)
    expect(await text(page.locator('[data-card="errors"] .note'))).toMatch(/^of \d+ since /)
    await shot('browser-overview-traffic')
    await page.locator('[data-card="errors"] a').click()
    await page.locator('#requests:not([hidden])').waitFor()
  })

  it('shows throttle meters by name, with the time until the window frees a call', async () => {
    await open('Throttling')
    const meter = page.locator(`#throttle-meters li[data-connection="${FIRST_PARTY}"]`)
    // The meters are drawn again every two seconds: each read is polled.
    // Seven calls of five allowed: the two refused count too (countRejected), and the meter is full.
    await expect.poll(() => text(meter.getByTestId('meter-text'))).toEqual('7 / 5')
    await expect
      .poll(() => text(meter.locator('.meter-name')))
      .toBe(`${CONTOSO.admin.upn} · firstParty connection`)
    await expect.poll(() => text(meter.getByTestId('meter-frees'))).toMatch(/^· next call allowed in \d+ s$/)
    await expect.poll(() => text(meter)).toContain('last 429')
    await expect.poll(() => meter.locator('meter').getAttribute('value')).toBe('5')
    expect((await meter.locator('meter').boundingBox())!.width).toBeGreaterThan(80)
    const caller = page.locator('#throttle-meters li[data-connection^="caller:"]')
    await expect
      .poll(() => text(caller.first().locator('.meter-name')))
      .toBe(`${CONTOSO.admin.upn} · ${POWERSHELL}`)
    expect(await page.locator('body').innerText()).not.toMatch(CALLER_KEY)
    await shot('browser-throttling')
  })

  it("shows the emulator's own coverage report: statuses seen, injected, and never seen", async () => {
    // From a full reset, so that every figure below is known.
    expect((await control('POST', '/_emulator/reset')).status).toBe(200)
    const token = await mintFor(CONTOSO.admin.upn)
    const getFlow = (flow: string) => api('GET', `${flowPath(flow)}?${API}`, token)
    expect((await getFlow(CONTOSO.flows.invoiceApproval)).status).toBe(200)
    expect((await getFlow(CONTOSO.flows.heartbeat)).status).toBe(200)
    expect((await getFlow('00000000-0000-4000-8000-000000000001')).status).toBe(404)
    const rule = { operationId: 'Get-AdminFlow', preset: 'unavailable', times: 1 }
    expect((await control('POST', '/_emulator/faults', rule)).status).toBe(201)
    expect((await getFlow(CONTOSO.flows.heartbeat)).status).toBe(503)
    const report = await json(control('GET', '/_emulator/coverage'))
    const complete = report.operations.filter((o: { neverSeen: string[] }) => o.neverSeen.length === 0)

    await open('Coverage')
    const view = page.getByTestId('coverage-view')
    await expect
      .poll(() => text(view.getByTestId('coverage-summary')))
      .toMatch(new RegExp(`^${complete.length} of ${report.operations.length} operations have answered`))
    expect(await view.locator('tbody tr').count()).toBe(report.operations.length)
    const row = view.locator('tr[data-operation="Get-AdminFlow"][data-surface="flow"]')
    await expect.poll(() => text(row.locator('td').nth(2))).toBe('200 ×2404 ×1503 ×1 (1 injected)')
    const documented = report.operations.find(
      (o: { operationId: string; surface: string }) =>
        o.operationId === 'Get-AdminFlow' && o.surface === 'flow',
    )
    expect(documented.neverSeen.length).toBeGreaterThan(0)
    expect(await text(row.locator('td').nth(3))).toBe(documented.neverSeen.join(''))
    const uncalled = report.operations.find((o: { seen: object }) => Object.keys(o.seen).length === 0)
    const uncalledRow = view.locator(
      `tr[data-operation="${uncalled.operationId}"][data-surface="${uncalled.surface}"]`,
    )
    expect(await text(uncalledRow.locator('td').nth(2))).toBe('not called')
    expect((await json(control('GET', '/_emulator/faults'))).value).toEqual([])
  })

  it('adds and removes a fault rule and advances the clock, each confirmed beside its button', async () => {
    await open('Controls')
    const before = await json(control('GET', '/_emulator/clock'))
    await page.locator('#clock-seconds').fill('3600')
    const advance = page.getByRole('button', { name: 'Advance' })
    await advance.click()
    expect(await toastNear(advance, 'Clock advanced by 3600 s.')).toBe(true)
    const after = await json(control('GET', '/_emulator/clock'))
    expect(Date.parse(after.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(3_600_000)

    await page.locator('#fault-operation').fill('Get-AdminFlow')
    await page.locator('#fault-kind').selectOption('preset:unavailable')
    await page.getByRole('button', { name: 'Add rule' }).click()
    await expect.poll(() => text(page.getByTestId('fault-list'))).toContain('unavailable · on Get-AdminFlow')
    expect((await json(control('GET', '/_emulator/faults'))).value).toMatchObject([
      { operationId: 'Get-AdminFlow', preset: 'unavailable' },
    ])
    await open('Overview')
    await expect.poll(() => text(page.getByTestId('card-faults'))).toBe('1')
    await open('Controls')
    await page.getByRole('button', { name: /^Remove rule/ }).click()
    await expect.poll(() => text(page.getByTestId('fault-list'))).toEqual('No fault rules.')
    expect((await json(control('GET', '/_emulator/faults'))).value).toEqual([])
  })

  it('offers the URLs, tenant ids, identities and snippets to connect a client', async () => {
    await open('Connect')
    const panel = page.getByTestId('connect-view')
    await expect.poll(() => text(panel)).toContain(`${base}/providers/Microsoft.ProcessSimple/scopes/admin`)
    expect(await text(panel)).toContain(CONTOSO.tenantId)
    expect(await text(panel)).toContain(CONTOSO.admin.upn)
    for (const name of ['curl', 'MSAL Node', 'Azure Identity'])
      expect(await panel.getByRole('heading', { name }).isVisible()).toBe(true)
    expect(await text(panel)).toContain('acquireTokenByClientCredential')
  })

  it('resets everything: flows and meters as at start, stale details dropped, an empty journal', async () => {
    const token = await mintFor(CONTOSO.admin.upn)
    expect((await api('POST', `${flowPath(CONTOSO.flows.heartbeat)}/stop?${API}`, token)).status).toBe(200)
    await open('Requests')
    const row = page.locator('#journal-table tbody tr[data-operation="Disable-AdminFlow"]')
    await expect.poll(() => row.count()).toBe(1)
    await row.click()
    await flyout().waitFor()

    expect((await control('POST', '/_emulator/reset')).status).toBe(200)
    await expect.poll(() => flyout().isVisible()).toBe(false)
    await expect.poll(() => text(page.getByTestId('journal-empty'))).toMatch(/^No requests yet/)
    await open('Flows')
    await expect
      .poll(() => text(flowRow(CONTOSO.flows.heartbeat).getByTestId('flow-state')))
      .toEqual('Started')
    await open('Throttling')
    await expect
      .poll(() =>
        text(page.locator(`#throttle-meters li[data-connection="${FIRST_PARTY}"]`).getByTestId('meter-text')),
      )
      .toEqual('0 / 100')

    // The Reset button in Controls confirms beside itself.
    await open('Controls')
    const reset = page.getByRole('button', { name: 'Reset', exact: true })
    await reset.click()
    expect(await toastNear(reset, 'Everything reset.')).toBe(true)
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
    expect(await layoutProblems(page)).toEqual([])
    await page.getByRole('button', { name: 'Large type' }).click()
    expect(await size()).toBe(normal)
  })
})
