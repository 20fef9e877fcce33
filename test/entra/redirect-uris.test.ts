import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import type { FixtureDocument } from '../../schemas/fixture.ts'
import { DEMO_FIXTURES_PATH, validateFixtureDocument } from '../../server/fixtures.ts'
import { buildTestApp, type TestApp } from '../helpers/build-test-app.ts'
import { CONTOSO } from '../helpers/demo.ts'
import { expectEntraError, FLOW_SCOPE, postForm, tokenUrl } from '../helpers/entra.ts'

/** The demo apps' registered redirect URIs (fixtures/demo-tenant.json). */
const AUTOMATION = CONTOSO.automationApp.clientId
const AUTOMATION_WEB = 'https://flow-automation.contoso.com/signin-oidc'
const REPORTING = CONTOSO.reportingApp.clientId
const REPORTING_WEB = 'https://reporting.contoso.com/auth/callback'

const demo = () => JSON.parse(readFileSync(DEMO_FIXTURES_PATH, 'utf8')) as FixtureDocument

const authorizeUrl = (clientId: string, redirectUri: string, tenant: string = CONTOSO.tenantId) =>
  `/${tenant}/oauth2/v2.0/authorize?${new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: `${FLOW_SCOPE} openid`,
    state: 's1',
    login_hint: CONTOSO.maker.upn,
  }).toString()}`

const authorize = (t: TestApp, clientId: string, redirectUri: string, tenant?: string) =>
  t.app.inject({ method: 'GET', url: authorizeUrl(clientId, redirectUri, tenant) })

const html = (text: string) => text.replaceAll("'", '&#39;')

function expectRefusedPage(res: Awaited<ReturnType<typeof authorize>>, code: number, message: string): void {
  expect(res.statusCode).toBe(400)
  expect(res.headers.location).toBeUndefined()
  expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
  expect(res.body).toContain(html(`AADSTS${code}: ${message}`))
}

const notRegistered = (uri: string, clientId: string) =>
  `The redirect URI '${uri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`

describe("a tenant app's registered redirect URIs", () => {
  it('a registered URI gets the code, which redeems only with that same URI', async () => {
    const t = await buildTestApp()
    const res = await authorize(t, AUTOMATION, AUTOMATION_WEB)
    expect(res.statusCode).toBe(302)
    const location = new URL(res.headers.location!)
    expect(location.origin + location.pathname).toBe(AUTOMATION_WEB)
    expect(location.searchParams.get('state')).toBe('s1')
    const code = location.searchParams.get('code')!
    const redeem = (redirectUri: string) =>
      postForm(t.app, tokenUrl(), {
        grant_type: 'authorization_code',
        client_id: AUTOMATION,
        client_secret: 'contoso-automation-secret',
        code,
        redirect_uri: redirectUri,
        scope: FLOW_SCOPE,
      })
    expectEntraError(await redeem('http://localhost:5000/'), {
      status: 400,
      error: 'invalid_grant',
      code: 50011,
      message: /does not match the redirect URI of the authorization code/,
    })
    const tokens = await redeem(AUTOMATION_WEB)
    expect(tokens.statusCode, tokens.body).toBe(200)
  })

  it.each([
    ['another site', 'https://evil.example/signin-oidc'],
    ['another path', 'https://flow-automation.contoso.com/other'],
    ['a path in another case', 'https://flow-automation.contoso.com/SIGNIN-OIDC'],
    ['http instead of https', 'http://flow-automation.contoso.com/signin-oidc'],
    ['another port', 'https://flow-automation.contoso.com:8443/signin-oidc'],
    ['a query the registration lacks', 'https://flow-automation.contoso.com/signin-oidc?next=/'],
    ['a registered localhost with another path', 'http://localhost:5000/elsewhere'],
    ['localhost over https when http is registered', 'https://localhost:5000/'],
    ['[::1], which Entra does not treat as localhost', 'http://[::1]:5000/'],
  ])('%s (%s): AADSTS50011 on a page, GET and POST alike', async (_, uri) => {
    const t = await buildTestApp()
    expectRefusedPage(await authorize(t, AUTOMATION, uri), 50011, notRegistered(uri, AUTOMATION))
    const posted = await postForm(t.app, `/${CONTOSO.tenantId}/oauth2/v2.0/authorize`, {
      client_id: AUTOMATION,
      response_type: 'code',
      redirect_uri: uri,
      scope: FLOW_SCOPE,
      username: CONTOSO.maker.upn,
      password: 'Demo!Passw0rd',
    })
    expectRefusedPage(posted, 50011, notRegistered(uri, AUTOMATION))
  })

  it('a registered http://localhost matches any port, and the same path only', async () => {
    const t = await buildTestApp()
    for (const uri of ['http://localhost/', 'http://localhost:5000/', 'http://localhost:61234']) {
      const res = await authorize(t, AUTOMATION, uri)
      expect(res.statusCode, uri).toBe(302)
      expect(new URL(res.headers.location!).port).toBe(new URL(uri).port)
    }
  })

  it("one app's URIs are not another's", async () => {
    const t = await buildTestApp()
    expectRefusedPage(
      await authorize(t, REPORTING, AUTOMATION_WEB),
      50011,
      notRegistered(AUTOMATION_WEB, REPORTING),
    )
    // Reporting registered no localhost URI: a public client's loopback rule does not apply to it.
    expectRefusedPage(
      await authorize(t, REPORTING, 'http://localhost:5000/'),
      50011,
      notRegistered('http://localhost:5000/', REPORTING),
    )
    expect((await authorize(t, REPORTING, REPORTING_WEB)).statusCode).toBe(302)
  })

  it('an app with no redirect URI registered: AADSTS500113', async () => {
    const doc = demo()
    doc.tenants[0]!.apps.find((a) => a.clientId === REPORTING)!.redirectUris = []
    const t = await buildTestApp({ fixtures: doc })
    expectRefusedPage(
      await authorize(t, REPORTING, REPORTING_WEB),
      500113,
      'No reply address is registered for the application.',
    )
  })

  it('the URIs are exported, replaced by PUT and PATCH, and copied into a new tenant', async () => {
    const t = await buildTestApp()
    const exported = (await t.app.inject({ method: 'GET', url: '/_emulator/state' })).json<FixtureDocument>()
    const app = exported.tenants[0]!.apps.find((a) => a.clientId === AUTOMATION)!
    expect(app.redirectUris).toEqual([AUTOMATION_WEB, 'http://localhost'])

    app.redirectUris = ['https://new.contoso.com/cb']
    const put = await t.app.inject({ method: 'PUT', url: '/_emulator/state', payload: exported })
    expect(put.statusCode, put.body).toBe(200)
    expect((await authorize(t, AUTOMATION, 'https://new.contoso.com/cb')).statusCode).toBe(302)
    expect((await authorize(t, AUTOMATION, AUTOMATION_WEB)).statusCode).toBe(400)

    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/_emulator/state',
      payload: {
        tenants: [{ id: CONTOSO.tenantId, apps: [{ clientId: AUTOMATION, redirectUris: [AUTOMATION_WEB] }] }],
      },
    })
    expect(patch.statusCode, patch.body).toBe(200)
    expect((await authorize(t, AUTOMATION, AUTOMATION_WEB)).statusCode).toBe(302)
    expect((await authorize(t, AUTOMATION, 'https://new.contoso.com/cb')).statusCode).toBe(400)

    const created = await t.app.inject({
      method: 'POST',
      url: '/_emulator/tenants',
      payload: { template: 'contoso' },
    })
    expect(created.statusCode).toBe(201)
    const { tenantId } = created.json<{ tenantId: string }>()
    const copy = (
      await t.app.inject({ method: 'GET', url: `/_emulator/state?tenant=${tenantId}` })
    ).json<FixtureDocument>()
    const copiedApps = copy.tenants[0]!.apps
    expect(copiedApps.map((a) => a.redirectUris)).toEqual(demo().tenants[0]!.apps.map((a) => a.redirectUris))
  })
})

describe('redirect URIs in a fixture document', () => {
  const withUris = (uris: unknown) => {
    const doc = demo()
    ;(doc.tenants[0]!.apps[0] as Record<string, unknown>)['redirectUris'] = uris
    return doc
  }

  it('may be left out: the app then has none', () => {
    const doc = demo()
    delete doc.tenants[0]!.apps[0]!.redirectUris
    expect(() => validateFixtureDocument(doc, 'doc')).not.toThrow()
  })

  it.each([
    ['not a URI', 'signin-oidc', /redirectUris\/0: 'signin-oidc' is not an absolute URI/],
    ['http on a site', 'http://contoso.com/cb', /redirectUris\/0: .*must use https.*localhost/],
    ['a fragment', 'https://contoso.com/cb#x', /redirectUris\/0: .*must not contain a fragment/],
    ['a user name', 'https://user@contoso.com/cb', /redirectUris\/0: .*must not contain a user name/],
    ['a wildcard', 'https://*.contoso.com/cb', /redirectUris\/0: .*wildcard/],
    ['another scheme', 'javascript:alert(1)', /redirectUris\/0: .*must use https/],
  ])('%s is refused, naming the path', (_, uri, message) => {
    expect(() => validateFixtureDocument(withUris([uri]), 'doc')).toThrow(message)
  })

  it('refuses a duplicate and more than 256 characters', () => {
    expect(() => validateFixtureDocument(withUris([AUTOMATION_WEB, AUTOMATION_WEB]), 'doc')).toThrow(
      /redirectUris: must have unique items|duplicate/,
    )
    expect(() =>
      validateFixtureDocument(withUris([`https://contoso.com/${'a'.repeat(240)}`]), 'doc'),
    ).toThrow(/redirectUris\/0/)
  })

  it('a bad URI in PUT /_emulator/state is a 400 that changes nothing', async () => {
    const t = await buildTestApp()
    const before = (await t.app.inject({ method: 'GET', url: '/_emulator/state' })).body
    const res = await t.app.inject({
      method: 'PUT',
      url: '/_emulator/state',
      payload: withUris(['http://contoso.com/cb']),
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.message).toMatch(/apps\/0\/redirectUris\/0/)
    expect((await t.app.inject({ method: 'GET', url: '/_emulator/state' })).body).toBe(before)
  })
})
