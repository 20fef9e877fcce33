import { describe, expect, it } from 'vitest'

import { buildTestApp } from '../helpers/build-test-app.ts'
import { FIRST_PARTY, viaConnector } from '../helpers/connector.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'
import { FLOW_SCOPE, postForm, tokenUrl } from '../helpers/entra.ts'

interface Entry {
  method: string
  path: string
  surface: string
  operationId: string | null
  connection: string | null
  tenant: string | null
  principal: string | null
  status: number
  requestBody: string | null
  responseBody: string | null
  requestBodyTruncated: boolean
  responseBodyTruncated: boolean
  client: string | null
  requestHeaders: Record<string, string>
  responseHeaders: Record<string, string>
}

const journal = async (t: Awaited<ReturnType<typeof buildTestApp>>, query = '') =>
  (await t.app.inject({ method: 'GET', url: `/_emulator/requests${query}` })).json<{ value: Entry[] }>().value

describe('the request journal', () => {
  it('records API and token requests, newest first, with operation, connection, tenant, principal and status', async () => {
    const t = await buildTestApp()
    const token = await t.mint({ user: CONTOSO.admin.upn })
    await t.as(token, {
      method: 'POST',
      url: `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/stop?${API}`,
    })
    await t.as(token, { method: 'GET', url: viaConnector(FIRST_PARTY, `/users/${CONTOSO.analyst.id}`) })
    await postForm(t.app, tokenUrl(), {
      grant_type: 'client_credentials',
      client_id: CONTOSO.automationApp.clientId,
      client_secret: 'contoso-automation-secret',
      scope: FLOW_SCOPE,
    })
    const entries = await journal(t)
    expect(entries.map((e) => [e.surface, e.operationId, e.status])).toEqual([
      ['entra', 'Entra-TokenV2', 200],
      ['connector', 'Get-AdminFlowUserDetails', 200],
      ['flow', 'Disable-AdminFlow', 200],
    ])
    expect(entries[1]).toMatchObject({
      connection: FIRST_PARTY,
      tenant: CONTOSO.tenantId,
      principal: CONTOSO.admin.id,
      method: 'GET',
    })
    expect(entries[2]!.connection).toMatch(/^caller:/)
    expect(entries[1]!.responseBody).toContain('"puid"')
  })

  it("keeps each request's headers (credentials redacted), its response's, and the caller's client app", async () => {
    const t = await buildTestApp({ throttle: { limit: 1, windowSeconds: 60 }, throttleFlowApi: true })
    const token = await t.mint({ user: CONTOSO.admin.upn })
    const url = `${ADMIN}/environments/~default/flows?${API}`
    await t.as(token, { method: 'GET', url, headers: { cookie: 'session=secret', 'x-custom': 'kept' } })
    const throttled = await t.as(token, { method: 'GET', url })
    expect(throttled.statusCode).toBe(429)
    await t.app.inject({ method: 'GET', url })
    const [anonymous, limited, ok] = await journal(t)
    expect(ok!.requestHeaders).toMatchObject({
      authorization: '[redacted]',
      cookie: '[redacted]',
      'x-custom': 'kept',
    })
    expect(JSON.stringify(ok!.requestHeaders)).not.toContain(token)
    expect(ok!.responseHeaders['content-type']).toMatch(/^application\/json/)
    expect(ok!.client).toBe('1950a258-227b-4e31-a9cf-717495945fc2')
    expect(limited!.status).toBe(429)
    expect(limited!.responseHeaders['retry-after']).toBe(throttled.headers['retry-after'])
    expect(anonymous!.status).toBe(401)
    expect(anonymous!.responseHeaders['www-authenticate']).toMatch(/^Bearer/)
    expect(anonymous!.client).toBeNull()
  })

  it('redacts secrets, passwords, assertions and tokens, in requests and responses', async () => {
    const t = await buildTestApp()
    await postForm(t.app, tokenUrl(), {
      grant_type: 'client_credentials',
      client_id: CONTOSO.automationApp.clientId,
      client_secret: 'contoso-automation-secret',
      scope: FLOW_SCOPE,
    })
    await postForm(t.app, tokenUrl(), {
      grant_type: 'password',
      client_id: '1950a258-227b-4e31-a9cf-717495945fc2',
      username: CONTOSO.admin.upn,
      password: 'Demo!Passw0rd',
      scope: FLOW_SCOPE,
    })
    const text = JSON.stringify(await journal(t))
    expect(text).not.toContain('contoso-automation-secret')
    expect(text).not.toContain('Demo!Passw0rd')
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}/)
    expect(text).toContain('[redacted]')
  })

  it('keeps a JSON body as the client sent it, its secrets redacted', async () => {
    const t = await buildTestApp()
    const token = await t.mint({ user: CONTOSO.admin.upn })
    const url = `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/modifyPermissions?${API}`
    const sent = `{\n  "put": [ { "properties": { "principal": { "id": "${CONTOSO.analyst.id}", "type": "User" }, "roleName": "CanView" } } ]\n}`
    const headers = { 'content-type': 'application/json' }
    expect((await t.as(token, { method: 'POST', url, headers, payload: sent })).statusCode).toBe(200)
    const secret = '{ "put": [], "password": "hunter2-secret" }'
    expect((await t.as(token, { method: 'POST', url, headers, payload: secret })).statusCode).toBe(400)
    const [refused, accepted] = await journal(t)
    expect(accepted!.requestBody).toBe(sent)
    expect(refused!.requestBody).toBe('{"put":[],"password":"[redacted]"}')
  })

  it('redacts a secret key spelt with an escape, and keeps no text of a body that is not JSON', async () => {
    const t = await buildTestApp()
    const token = await t.mint({ user: CONTOSO.admin.upn })
    const url = `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/modifyPermissions?${API}`
    const headers = { 'content-type': 'application/json' }
    const escaped = '{ "put": [], "pass\\u0077ord": "hunter3-secret" }'
    expect((await t.as(token, { method: 'POST', url, headers, payload: escaped })).statusCode).toBe(400)
    const malformed = '{ "put": [], "password": "hunter2-secret", }'
    expect((await t.as(token, { method: 'POST', url, headers, payload: malformed })).statusCode).toBe(400)
    // A secret word in a value, with nothing to redact: kept as sent.
    const innocent = `{ "put": [ { "properties": { "principal": { "id": "${CONTOSO.analyst.id}", "type": "User", "displayName": "Decoder" }, "roleName": "CanView" } } ] }`
    expect((await t.as(token, { method: 'POST', url, headers, payload: innocent })).statusCode).toBe(200)
    const [kept, notJson, withEscape] = await journal(t)
    expect(withEscape!.requestBody).toBe('{"put":[],"password":"[redacted]"}')
    expect(notJson!.status).toBe(400)
    expect(notJson!.requestBody).toBeNull()
    expect(kept!.requestBody).toBe(innocent)
    expect(JSON.stringify(await journal(t))).not.toContain('secret')
  })

  it("redacts an authorization code in Entra's form, and keeps a response's error.code", async () => {
    const t = await buildTestApp()
    await postForm(t.app, tokenUrl(), {
      grant_type: 'authorization_code',
      client_id: '1950a258-227b-4e31-a9cf-717495945fc2',
      code: 'an-authorization-code-value',
      code_verifier: 'a-code-verifier-value',
      refresh_token: 'a-refresh-token-value',
      redirect_uri: 'http://localhost',
      scope: FLOW_SCOPE,
    })
    const token = await t.mint({ user: CONTOSO.admin.upn })
    await t.as(token, { method: 'GET', url: `${ADMIN}/environments/~default/flows/nothing-here?${API}` })
    const [missing, grant] = await journal(t)
    const form = JSON.parse(grant!.requestBody!) as Record<string, string>
    expect(form['code']).toBe('[redacted]')
    expect(form['code_verifier']).toBe('[redacted]')
    expect(form['refresh_token']).toBe('[redacted]')
    expect(form['grant_type']).toBe('authorization_code')
    expect(JSON.stringify(grant)).not.toContain('an-authorization-code-value')
    expect(missing!.status).toBe(404)
    expect(JSON.parse(missing!.responseBody!)).toEqual({
      error: { code: 'FlowNotFound', message: expect.any(String) },
    })
  })

  it('filters by operationId, status, tenant, connection, since and limit', async () => {
    const t = await buildTestApp()
    const token = await t.mint({ user: CONTOSO.admin.upn })
    for (let i = 0; i < 3; i++)
      await t.as(token, { method: 'GET', url: viaConnector(FIRST_PARTY, `/users/${CONTOSO.analyst.id}`) })
    await t.as(token, { method: 'GET', url: `${ADMIN}/users/nobody?${API}` })
    expect(await journal(t, '?operationId=Get-AdminFlowUserDetails')).toHaveLength(4)
    expect(await journal(t, '?status=404')).toHaveLength(1)
    expect(await journal(t, `?connection=${FIRST_PARTY}`)).toHaveLength(3)
    expect(await journal(t, `?tenant=${CONTOSO.tenantId}&limit=2`)).toHaveLength(2)
    expect(await journal(t, '?limit=1000000')).toHaveLength(4)
    expect(await journal(t, '?since=2999-01-01T00:00:00Z')).toEqual([])
    expect((await t.app.inject({ method: 'GET', url: '/_emulator/requests?bogus=1' })).statusCode).toBe(400)
    expect((await t.app.inject({ method: 'GET', url: '/_emulator/requests?status=abc' })).statusCode).toBe(
      400,
    )
  })

  it('stays at its cap, cuts long bodies with a mark, and DELETE empties it', async () => {
    const t = await buildTestApp({ journal: { size: 5, bodyLimit: 64 } })
    const token = await t.mint({ user: CONTOSO.admin.upn })
    for (let i = 0; i < 12; i++)
      await t.as(token, { method: 'GET', url: `${ADMIN}/environments/~default/flows?${API}` })
    const entries = await journal(t)
    expect(entries).toHaveLength(5)
    expect(entries[0]!.responseBodyTruncated).toBe(true)
    expect(entries[0]!.responseBody).toMatch(/…\[truncated \d+ bytes\]$/)
    expect((await t.app.inject({ method: 'DELETE', url: '/_emulator/requests' })).statusCode).toBe(204)
    expect(await journal(t)).toEqual([])
  })

  it('size 0 turns it off; control-plane calls are never journaled', async () => {
    const off = await buildTestApp({ journal: { size: 0 } })
    await off.as(await off.mint({ user: CONTOSO.admin.upn }), {
      method: 'GET',
      url: `${ADMIN}/users/x?${API}`,
    })
    expect(await journal(off)).toEqual([])
    const on = await buildTestApp()
    await on.app.inject({ method: 'GET', url: '/_emulator/health' })
    expect(await journal(on)).toEqual([])
  })
})
