import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { buildApp } from '../../server/app.ts'
import { SCRIPTS_DIR } from '../../server/dashboard/assets.ts'
import { listen } from '../../server/listen.ts'
import { expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp } from '../helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'

describe('the dashboard page and its files', () => {
  it('serves the page with a strict content security policy, and its scripts and stylesheet', async () => {
    const t = await buildTestApp()
    const page = await t.app.inject({ method: 'GET', url: '/_emulator/ui' })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.headers['content-security-policy']).toContain("default-src 'none'")
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    // Works offline: nothing on the page comes from another host.
    expect(page.body).not.toMatch(/https?:\/\//)
    expect(page.body).toContain('/_emulator/ui/main.js')

    const script = await t.app.inject({ method: 'GET', url: '/_emulator/ui/main.js' })
    expect(script.statusCode).toBe(200)
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')
    const css = await t.app.inject({ method: 'GET', url: '/_emulator/ui/style.css' })
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8')
    expect(css.body).toContain('var(--colorBrandBackground)')
    // The Fluent 2 tokens, built from @fluentui/tokens: light, and dark from the system setting.
    const tokens = await t.app.inject({ method: 'GET', url: '/_emulator/ui/tokens.css' })
    expect(tokens.statusCode).toBe(200)
    expect(tokens.headers['content-type']).toBe('text/css; charset=utf-8')
    expect(tokens.body).toContain('--colorBrandBackground: #0f6cbd;')
    expect(tokens.body).toMatch(
      /prefers-color-scheme: dark\) \{\s+:root \{[^}]*--colorNeutralBackground1: #292929;/,
    )
  })

  it('is small: the page and every file it loads weigh under 600 KB', async () => {
    const t = await buildTestApp()
    const names = ['index.html', 'style.css', 'tokens.css']
    names.push(...readdirSync(SCRIPTS_DIR).filter((name) => name.endsWith('.js')))
    expect(names).toContain('journal-view.js')
    let total = 0
    for (const name of names) {
      const res = await t.app.inject({ method: 'GET', url: `/_emulator/ui/${name}` })
      expect(res.statusCode, name).toBe(200)
      total += res.rawPayload.length
    }
    expect(total).toBeLessThan(600 * 1024)
  })

  it('builds one module per client source, each importing only its siblings: no server code, no TypeBox', () => {
    const scripts = readdirSync(SCRIPTS_DIR).filter((name) => name.endsWith('.js'))
    const sources = readdirSync(join(import.meta.dirname, '../../server/dashboard/client'))
      .filter((name) => name.endsWith('.ts'))
      .map((name) => name.replace(/\.ts$/, '.js'))
    expect(scripts.sort()).toEqual(sources.sort())
    for (const name of scripts) {
      const code = readFileSync(join(SCRIPTS_DIR, name), 'utf8')
      const imports = [...code.matchAll(/^import .*? from "([^"]+)";$/gm)].map((m) => m[1]!)
      for (const specifier of imports) {
        expect(specifier, name).toMatch(/^\.\/[a-z-]+\.js$/)
        expect(existsSync(join(SCRIPTS_DIR, specifier)), `${name} imports ${specifier}`).toBe(true)
      }
      expect(code, name).not.toMatch(/typebox|schemas\/control/i)
    }
    expect(readFileSync(join(SCRIPTS_DIR, 'main.js'), 'utf8')).toMatch(
      /^import \{ api \} from "\.\/api\.js";$/m,
    )
  })

  it('answers an unknown file or a path trick with a 404 in the envelope', async () => {
    const t = await buildTestApp()
    for (const name of [
      'nope.js',
      '..%2Fpackage.json',
      '%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
      'main.ts',
      'types.d.ts',
    ]) {
      expectServiceError(await t.app.inject({ method: 'GET', url: `/_emulator/ui/${name}` }), {
        status: 404,
        code: 'NotFound',
      })
    }
  })

  it('follows the control plane access rule: not for remote clients', async () => {
    const t = await buildTestApp()
    expectServiceError(
      await t.app.inject({ method: 'GET', url: '/_emulator/ui', remoteAddress: '192.0.2.7' }),
      { status: 403, code: 'ControlPlaneForbidden' },
    )
  })

  it('with --control-key, /_emulator/ui?key= sets an HttpOnly cookie and drops the key from the address', async () => {
    const key = 'dashboard-key-0123456789'
    const t = await buildTestApp({ controlKey: key })
    expectServiceError(await t.app.inject({ method: 'GET', url: '/_emulator/ui' }), {
      status: 403,
      code: 'ControlPlaneForbidden',
    })
    expectServiceError(await t.app.inject({ method: 'GET', url: '/_emulator/ui?key=wrong' }), {
      status: 403,
      code: 'ControlPlaneForbidden',
    })
    const first = await t.app.inject({ method: 'GET', url: `/_emulator/ui?key=${key}` })
    expect(first.statusCode).toBe(303)
    expect(first.headers.location).toBe('/_emulator/ui')
    expect(first.headers['set-cookie']).toBe(
      `paae_control_key=${key}; Path=/_emulator; HttpOnly; SameSite=Strict`,
    )
    const cookie = { cookie: `other=1; paae_control_key=${key}` }
    expect((await t.app.inject({ method: 'GET', url: '/_emulator/ui', headers: cookie })).statusCode).toBe(
      200,
    )
    expect(
      (await t.app.inject({ method: 'GET', url: '/_emulator/overview', headers: cookie })).statusCode,
    ).toBe(200)
    // ?key= is for the page only: elsewhere it opens nothing.
    expectServiceError(await t.app.inject({ method: 'GET', url: `/_emulator/overview?key=${key}` }), {
      status: 403,
      code: 'ControlPlaneForbidden',
    })
    expectServiceError(
      await t.app.inject({
        method: 'GET',
        url: '/_emulator/overview',
        headers: { cookie: 'paae_control_key=%E0%A4%A' },
      }),
      { status: 403, code: 'ControlPlaneForbidden' },
    )
  })

  it('refuses control calls sent by a page of another origin, accepts its own', async () => {
    const t = await buildTestApp()
    const reset = (origin: string) =>
      t.app.inject({ method: 'POST', url: '/_emulator/reset', headers: { origin, host: 'localhost:7070' } })
    // An origin off the allowed hosts is refused for every surface; a local page of another port
    // may call the API, not the control plane.
    expectServiceError(await reset('https://evil.example'), { status: 403, code: 'HostNotAllowed' })
    expectServiceError(await reset('null'), { status: 403, code: 'HostNotAllowed' })
    expectServiceError(await reset('http://localhost:3000'), {
      status: 403,
      code: 'ControlPlaneForbidden',
      message: /another origin \('http:\/\/localhost:3000'\)/,
    })
    expect((await reset('http://localhost:7070')).statusCode).toBe(200)
  })
})

describe('GET /_emulator/overview', () => {
  it('shows tenants, environments, flows with state and permissions (names resolved), identities and user details', async () => {
    const t = await buildTestApp()
    const res = await t.app.inject({ method: 'GET', url: '/_emulator/overview' })
    expect(res.statusCode).toBe(200)
    const overview = res.json()
    expect(overview.endpoints).toEqual({
      httpUrl: null,
      httpsUrl: null,
      caCertificateUrl: null,
      proxyUrl: null,
    })
    expect(overview.journal).toEqual({ enabled: true })
    expect(overview.now).toBe('2026-01-15T10:00:00.000Z')
    const contoso = overview.tenants.find((x: { id: string }) => x.id === CONTOSO.tenantId)
    expect(contoso.admin).toBe(CONTOSO.admin.upn)
    expect(contoso.users).toContainEqual(
      expect.objectContaining({
        upn: CONTOSO.admin.upn,
        roles: ['GlobalAdministrator'],
        password: expect.any(String),
      }),
    )
    expect(contoso.apps).toContainEqual(
      expect.objectContaining({
        clientId: CONTOSO.automationApp.clientId,
        secret: 'contoso-automation-secret',
      }),
    )
    expect(contoso.connections.map((c: { id: string }) => c.id).sort()).toEqual([
      'contoso-admin-certoauth',
      'contoso-admin-firstparty',
    ])
    const defaultEnv = contoso.environments.find((e: { isDefault: boolean }) => e.isDefault)
    const invoice = defaultEnv.flows.find((f: { name: string }) => f.name === CONTOSO.flows.invoiceApproval)
    expect(invoice).toMatchObject({ displayName: 'Invoice approval', state: 'Started' })
    expect(invoice.deletedTime).toBeNull()
    expect(invoice.permissions).toContainEqual({
      roleName: 'CanView',
      principalId: CONTOSO.group,
      principalType: 'Group',
      displayName: 'Flow Operators',
      hiddenFromApi: false,
    })
    // In the API's order, then the service principal it hides, marked and named.
    const token = await t.mint({ user: CONTOSO.admin.upn })
    const listed = await t.as(token, {
      method: 'GET',
      url: `${ADMIN}/environments/${CONTOSO.defaultEnv}/flows/${CONTOSO.flows.invoiceApproval}/permissions?${API}`,
    })
    const apiIds = listed
      .json()
      .value.map((p: { properties: { principal: { id: string } } }) => p.properties.principal.id)
    expect(apiIds.length).toBe(3)
    const permissions = invoice.permissions as {
      principalId: string
      roleName: string
      hiddenFromApi: boolean
    }[]
    expect(permissions.filter((p) => !p.hiddenFromApi).map((p) => p.principalId)).toEqual(apiIds)
    expect(permissions[0]!.roleName).toBe('Owner')
    expect(permissions.at(-1)).toEqual({
      roleName: 'CanEdit',
      principalId: CONTOSO.automationApp.spId,
      principalType: 'ServicePrincipal',
      displayName: 'Contoso Flow Automation',
      hiddenFromApi: true,
    })
    // What names a caller: the app's service principal, and Microsoft's public clients.
    expect(contoso.apps).toContainEqual(
      expect.objectContaining({
        clientId: CONTOSO.automationApp.clientId,
        servicePrincipalId: CONTOSO.automationApp.spId,
      }),
    )
    expect(overview.clients).toContainEqual({
      clientId: '1950a258-227b-4e31-a9cf-717495945fc2',
      displayName: 'Microsoft Azure PowerShell',
    })
    expect(contoso.userDetails).toContainEqual(
      expect.objectContaining({ objectId: CONTOSO.admin.id, displayName: 'Contoso Admin' }),
    )
  })

  it('follows changes made through the API', async () => {
    const t = await buildTestApp()
    const token = await t.mint({ user: CONTOSO.admin.upn })
    const stop = await t.as(token, {
      method: 'POST',
      url: `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/stop?${API}`,
    })
    expect(stop.statusCode).toBe(200)
    const overview = (await t.app.inject({ method: 'GET', url: '/_emulator/overview' })).json()
    const flows = overview.tenants[0].environments.flatMap((e: { flows: unknown[] }) => e.flows)
    expect(flows.find((f: { name: string }) => f.name === CONTOSO.flows.invoiceApproval).state).toBe(
      'Stopped',
    )
    // A deleted flow stays listed, marked, while it can be restored.
    const removed = await t.as(token, {
      method: 'DELETE',
      url: `${ADMIN}/environments/~default/flows/${CONTOSO.flows.nightlyCleanup}?${API}`,
    })
    expect(removed.statusCode).toBe(200)
    const after = (await t.app.inject({ method: 'GET', url: '/_emulator/overview' })).json()
    const deleted = after.tenants[0].environments
      .flatMap((e: { flows: unknown[] }) => e.flows)
      .find((f: { name: string }) => f.name === CONTOSO.flows.nightlyCleanup)
    expect(deleted.deletedTime).toBe('2026-01-15T10:00:00.0000000Z')
  })
})

describe('live events and the CA certificate over a real listener', () => {
  it('streams each journaled request and each control change as server-sent events, and ends the stream on close', async () => {
    const app = await buildApp({ db: ':memory:', logLevel: 'silent' })
    const listening = await listen(app, { host: '127.0.0.1', port: 0, httpsPort: 'off', dataDir: '' })
    const base = listening.httpUrl
    const stream = await fetch(`${base}/_emulator/events`)
    expect(stream.status).toBe(200)
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(stream.headers.get('cache-control')).toBe('no-store')
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader()
    let received = ''
    const readUntil = async (needle: string) => {
      while (!received.includes(needle)) {
        const { value, done } = await reader.read()
        if (done) throw new Error(`stream ended before '${needle}': ${received}`)
        received += value
      }
    }
    await readUntil('retry: 1000')
    const health = await fetch(
      `${base}${ADMIN}/environments/~default/flows/${CONTOSO.flows.heartbeat}?${API}`,
    )
    expect(health.status).toBe(401)
    await readUntil('event: request')
    await readUntil('\n\n')
    const data = received.split('event: request\ndata: ')[1]!.split('\n')[0]!
    expect(JSON.parse(data)).toMatchObject({ method: 'GET', status: 401, surface: 'flow' })

    expect(
      (
        await fetch(`${base}/_emulator/clock`, {
          method: 'POST',
          body: '{"advanceSeconds":5}',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(200)
    await readUntil('event: control')
    await readUntil('"path":"/_emulator/clock","status":200}')
    expect(app.events.listenerCount()).toBe(1)

    const closed = listening.close()
    await expect(
      (async () => {
        for (;;) {
          const { done } = await reader.read()
          if (done) return 'ended'
        }
      })(),
    ).resolves.toBe('ended')
    await closed
    expect(app.events.listenerCount()).toBe(0)
  })

  it('serves the local CA certificate it listens with, and a 404 when there is none', async () => {
    const t = await buildTestApp()
    expectServiceError(await t.app.inject({ method: 'GET', url: '/_emulator/ca.pem' }), {
      status: 404,
      code: 'NotFound',
      message: /no local CA certificate/,
    })
    const dataDir = process.env['EMULATOR_TEST_DATA_DIR']!
    const app = await buildApp({ db: ':memory:', logLevel: 'silent' })
    const listening = await listen(app, { host: '127.0.0.1', port: 0, httpsPort: 0, dataDir })
    try {
      const res = await fetch(`${listening.httpUrl}/_emulator/ca.pem`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/x-pem-file')
      const pem = await res.text()
      expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----/)
      const overview = (await (await fetch(`${listening.httpUrl}/_emulator/overview`)).json()) as {
        endpoints: unknown
      }
      expect(overview.endpoints).toEqual({
        httpUrl: listening.httpUrl,
        httpsUrl: listening.httpsUrl,
        caCertificateUrl: `${listening.httpUrl}/_emulator/ca.pem`,
        proxyUrl: null,
      })
    } finally {
      await listening.close()
    }
  })
})
