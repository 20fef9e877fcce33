import { describe, expect, it } from 'vitest'

import { buildTestApp } from '../helpers/build-test-app.ts'
import { CONTOSO, FABRIKAM } from '../helpers/demo.ts'

const GRAPH = 'https://graph.microsoft.com'

async function graphApp() {
  const t = await buildTestApp()
  const userToken = await t.mint({ user: CONTOSO.admin.upn, audience: GRAPH })
  const appToken = await t.mint({
    tenant: CONTOSO.tenantId,
    clientId: CONTOSO.automationApp.clientId,
    audience: GRAPH,
  })
  const get = (url: string, token = userToken, headers: Record<string, string> = {}) =>
    t.as(token, { method: 'GET', url, headers })
  return { ...t, userToken, appToken, get }
}

function expectGraphError(
  res: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
  code: string,
  message?: string | RegExp,
) {
  expect(res.statusCode).toBe(status)
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
  const body = res.json() as { error: { code: string; message: string; innerError: Record<string, string> } }
  expect(Object.keys(body.error)).toEqual(['code', 'message', 'innerError'])
  expect(body.error.code).toBe(code)
  if (typeof message === 'string') expect(body.error.message).toBe(message)
  else if (message) expect(body.error.message).toMatch(message)
  expect(body.error.innerError).toEqual({
    date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    'request-id': res.headers['request-id'],
    'client-request-id': expect.any(String),
  })
}

describe('Microsoft Graph look-ups (/v1.0)', () => {
  it('GET /me: the signed-in user in Graph shape, with OData headers', async () => {
    const t = await graphApp()
    const res = await t.get('/v1.0/me')
    expect(res.statusCode).toBe(200)
    expect(res.headers['odata-version']).toBe('4.0')
    expect(res.headers['request-id']).toEqual(expect.any(String))
    expect(res.json()).toEqual({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
      businessPhones: [],
      displayName: 'Contoso Admin',
      givenName: expect.any(String),
      jobTitle: null,
      mail: expect.any(String),
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: null,
      surname: expect.any(String),
      userPrincipalName: CONTOSO.admin.upn,
      id: CONTOSO.admin.id,
    })
  })

  it('GET /me with an app-only token is a 400, as in Graph', async () => {
    const t = await graphApp()
    expectGraphError(
      await t.get('/v1.0/me', t.appToken),
      400,
      'BadRequest',
      '/me request is only valid with delegated authentication flow.',
    )
  })

  it('GET /users/{id|upn}, with $select, case-insensitive', async () => {
    const t = await graphApp()
    const byId = await t.get(`/v1.0/users/${CONTOSO.maker.id}`)
    expect(byId.json()).toMatchObject({ id: CONTOSO.maker.id, userPrincipalName: CONTOSO.maker.upn })
    const byUpn = await t.get(`/v1.0/users/${CONTOSO.maker.upn.toUpperCase()}?$select=id,DisplayName`)
    expect(byUpn.json()).toEqual({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users(id,displayName)/$entity',
      displayName: 'Megan Maker',
      id: CONTOSO.maker.id,
    })
    // App-only tokens may read the directory too.
    expect((await t.get(`/v1.0/users/${CONTOSO.maker.upn}`, t.appToken)).statusCode).toBe(200)
  })

  it('GET /users/{unknown} and a user of another tenant are 404 Request_ResourceNotFound', async () => {
    const t = await graphApp()
    for (const id of ['nobody@contoso.onmicrosoft.com', FABRIKAM.admin.id, FABRIKAM.admin.upn]) {
      expectGraphError(
        await t.get(`/v1.0/users/${encodeURIComponent(id)}`, t.userToken, { 'client-request-id': 'abc-123' }),
        404,
        'Request_ResourceNotFound',
        `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      )
    }
    const res = await t.get('/v1.0/users/nobody@contoso.onmicrosoft.com', t.userToken, {
      'client-request-id': 'abc-123',
    })
    expect(res.json().error.innerError['client-request-id']).toBe('abc-123')
  })

  it("GET /users?$filter=userPrincipalName eq '...' (what m365 flow owner ensure --userName sends)", async () => {
    const t = await graphApp()
    const filter = encodeURIComponent(`userPrincipalName eq '${CONTOSO.analyst.upn}'`)
    const res = await t.get(`/v1.0/users?$filter=${filter}&$select=Id`)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users(id)',
      value: [{ id: CONTOSO.analyst.id }],
    })
    const none = await t.get(
      `/v1.0/users?$filter=${encodeURIComponent("userPrincipalName eq 'o''brien@contoso.onmicrosoft.com'")}`,
    )
    expect(none.json().value).toEqual([])
    const byName = await t.get(`/v1.0/users?$filter=${encodeURIComponent("displayName eq 'megan maker'")}`)
    expect(byName.json().value.map((u: { id: string }) => u.id)).toEqual([CONTOSO.maker.id])
    const all = await t.get('/v1.0/users?$select=userPrincipalName')
    expect(all.json().value).toContainEqual({ userPrincipalName: CONTOSO.admin.upn })
    expect(all.json().value).not.toContainEqual({ userPrincipalName: FABRIKAM.admin.upn })
  })

  it('GET /groups/{id} and /groups?$filter=displayName eq', async () => {
    const t = await graphApp()
    const group = await t.get(`/v1.0/groups/${CONTOSO.group}`)
    expect(group.statusCode).toBe(200)
    expect(group.json()).toMatchObject({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#groups/$entity',
      id: CONTOSO.group,
      displayName: 'Flow Operators',
      securityEnabled: true,
      mailEnabled: false,
      groupTypes: [],
    })
    const filtered = await t.get(
      `/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'Flow Operators'")}&$select=id`,
    )
    expect(filtered.json()).toEqual({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#groups(id)',
      value: [{ id: CONTOSO.group }],
    })
    expectGraphError(await t.get('/v1.0/groups/not-a-guid'), 404, 'Request_ResourceNotFound')
    expectGraphError(await t.get(`/v1.0/groups/${CONTOSO.admin.id}`), 404, 'Request_ResourceNotFound')
  })

  it('unsupported filters and unknown $select properties are 400s, unknown segments too', async () => {
    const t = await graphApp()
    expectGraphError(
      await t.get(`/v1.0/users?$filter=${encodeURIComponent("startswith(displayName,'M')")}`),
      400,
      'Request_UnsupportedQuery',
    )
    expectGraphError(
      await t.get(`/v1.0/users?$filter=${encodeURIComponent("jobTitle eq 'x'")}`),
      400,
      'Request_UnsupportedQuery',
    )
    expectGraphError(await t.get('/v1.0/users?$select=password'), 400, 'BadRequest', /password/)
    expectGraphError(
      await t.get('/v1.0/applications'),
      400,
      'BadRequest',
      "Resource not found for the segment 'applications'.",
    )
  })

  it('needs a Graph token: none, a Flow API token or an expired one are 401 InvalidAuthenticationToken', async () => {
    const t = await graphApp()
    const flowToken = await t.mint({ user: CONTOSO.admin.upn })
    const none = await t.app.inject({ method: 'GET', url: '/v1.0/me' })
    expectGraphError(none, 401, 'InvalidAuthenticationToken', 'Access token is empty.')
    expect(none.headers['www-authenticate']).toMatch(/^Bearer /)
    expectGraphError(
      await t.get('/v1.0/me', flowToken),
      401,
      'InvalidAuthenticationToken',
      'Invalid audience.',
    )
    t.clock.advance(2 * 3600)
    expectGraphError(
      await t.get('/v1.0/me'),
      401,
      'InvalidAuthenticationToken',
      'Lifetime validation failed, the token is expired.',
    )
    expectGraphError(
      await t.get('/v1.0/me', 'not.a.token'),
      401,
      'InvalidAuthenticationToken',
      'Access token validation failure.',
    )
  })

  it('accepts the other spellings of the Graph audience', async () => {
    const t = await graphApp()
    for (const audience of ['https://graph.microsoft.com/', '00000003-0000-0000-c000-000000000000']) {
      const token = await t.mint({ user: CONTOSO.admin.upn, audience })
      expect((await t.get('/v1.0/me', token)).statusCode).toBe(200)
    }
  })

  it('shows in the journal as the graph surface', async () => {
    const t = await graphApp()
    await t.get('/v1.0/me')
    const journal = (await t.app.inject({ method: 'GET', url: '/_emulator/requests' })).json()
    expect(journal.value[0]).toMatchObject({ surface: 'graph', operationId: 'Graph-GetMe', status: 200 })
  })
})
