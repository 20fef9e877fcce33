import { createPrivateKey, randomUUID } from 'node:crypto'

import { decodeJwt, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'

import { createCertificate, sha1Thumbprint, sha256Thumbprint } from '../../server/tls/certificates.ts'
import { buildTestApp, TEST_NOW } from '../helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO, FABRIKAM } from '../helpers/demo.ts'
import { APP, appCert, assertion, NOW, SECRET, withAssertion } from '../helpers/client-assertion.ts'
import { expectEntraError, FLOW_SCOPE, postForm, PUBLIC_CLIENT, tokenUrl } from '../helpers/entra.ts'

const clientCredentials = (extra: Record<string, string> = {}) => ({
  grant_type: 'client_credentials',
  client_id: APP,
  client_secret: SECRET,
  scope: FLOW_SCOPE,
  ...extra,
})

describe('client_credentials', () => {
  it('with a secret: a v2 response and an app-only token the API accepts', async () => {
    const t = await buildTestApp()
    const res = await postForm(t.app, `${tokenUrl()}?client-request-id=${randomUUID()}`, clientCredentials())
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store, no-cache')
    expect(res.headers['pragma']).toBe('no-cache')
    const body = res.json()
    expect(body).toEqual({
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: expect.any(String),
    })
    expect(decodeJwt(body.access_token)).toMatchObject({
      aud: 'https://service.flow.microsoft.com/',
      appid: APP,
      appidacr: '1',
      idtyp: 'app',
      oid: CONTOSO.automationApp.spId,
      exp: NOW + 3599,
    })
    const api = await t.as(body.access_token, {
      method: 'GET',
      url: `${ADMIN}/environments/~default/flows?${API}`,
    })
    expect(api.statusCode).toBe(200)
  })

  it('with client_secret_basic, and with the tenant domain in the URL', async () => {
    const t = await buildTestApp()
    const basic = Buffer.from(`${APP}:${SECRET}`).toString('base64')
    const res = await postForm(
      t.app,
      tokenUrl(CONTOSO.domain),
      { grant_type: 'client_credentials', scope: FLOW_SCOPE },
      { authorization: `Basic ${basic}` },
    )
    expect(res.statusCode).toBe(200)
  })

  it('the one-slash scope yields an audience the API refuses, as with the real service', async () => {
    const t = await buildTestApp()
    const res = await postForm(
      t.app,
      tokenUrl(),
      clientCredentials({ scope: 'https://service.flow.microsoft.com/.default' }),
    )
    const token = res.json().access_token as string
    expect(decodeJwt(token).aud).toBe('https://service.flow.microsoft.com')
    const api = await t.as(token, { method: 'GET', url: `${ADMIN}/environments/~default/flows?${API}` })
    expect(api.statusCode).toBe(401)
    expect(api.json().error.code).toBe('InvalidAuthenticationTokenAudience')
  })

  it('management.azure.com//.default yields the ARM audience', async () => {
    const t = await buildTestApp()
    const res = await postForm(
      t.app,
      tokenUrl(),
      clientCredentials({ scope: 'https://management.azure.com//.default' }),
    )
    expect(decodeJwt(res.json().access_token).aud).toBe('https://management.azure.com/')
  })

  it('v1: resource, string times, expires_on, not_before and resource in the response', async () => {
    const t = await buildTestApp()
    const { scope: _, ...v1 } = clientCredentials()
    const res = await postForm(t.app, tokenUrl(CONTOSO.tenantId, 'v1'), {
      ...v1,
      resource: 'https://service.flow.microsoft.com/',
    })
    expect(res.json()).toEqual({
      token_type: 'Bearer',
      expires_in: '3599',
      ext_expires_in: '3599',
      expires_on: String(NOW + 3599),
      not_before: String(NOW),
      resource: 'https://service.flow.microsoft.com/',
      access_token: expect.any(String),
    })
    expect(decodeJwt(res.json().access_token).aud).toBe('https://service.flow.microsoft.com/')
  })

  it.each([
    ['PS256 with x5t#S256 (what MSAL and Azure Identity send)', {}],
    [
      'RS256 with the SHA-1 x5t',
      { header: { alg: 'RS256', x5t: sha1Thumbprint(appCert), 'x5t#S256': undefined } },
    ],
    [
      'the Microsoft token endpoint as aud',
      { aud: `https://login.microsoftonline.com/${CONTOSO.tenantId}/oauth2/v2.0/token` },
    ],
  ])('with a certificate assertion: %s', async (_, options) => {
    const t = await buildTestApp()
    const res = await postForm(t.app, tokenUrl(), withAssertion(await assertion(options)))
    expect(res.statusCode, res.body).toBe(200)
    expect(decodeJwt(res.json().access_token)['appidacr']).toBe('2')
  })
})

describe('certificate assertions that are refused (401 invalid_client)', () => {
  const stranger = createCertificate({ commonName: 'stranger', notBefore: new Date(TEST_NOW), validDays: 30 })
  const cases: [string, () => Promise<string>, number, RegExp][] = [
    [
      'an unregistered certificate',
      () =>
        assertion({
          key: createPrivateKey(stranger.privateKeyPem),
          header: { 'x5t#S256': sha256Thumbprint(stranger.certificatePem) },
        }),
      700027,
      /is not registered on application/,
    ],
    [
      'a registered thumbprint but another key',
      () => assertion({ key: createPrivateKey(stranger.privateKeyPem) }),
      700027,
      /Key was found, but use of the key to verify the signature failed/,
    ],
    [
      'no thumbprint in the header',
      () => assertion({ header: { 'x5t#S256': undefined } }),
      50027,
      /No certificate thumbprint/,
    ],
    [
      'iss and sub not the client',
      () => assertion({ claims: { iss: 'someone', sub: 'someone' } }),
      50048,
      /Subject mismatches Issuer/,
    ],
    [
      'an expired assertion',
      () => assertion({ claims: { exp: NOW - 400, nbf: NOW - 1000, iat: NOW - 1000 } }),
      700024,
      /not within its valid time range/,
    ],
    [
      'an audience of another endpoint',
      () => assertion({ aud: `https://localhost/${CONTOSO.tenantId}/oauth2/v2.0/authorize` }),
      700027,
      /audience/,
    ],
    [
      'HS256',
      async () =>
        new SignJWT({ jti: 'x' })
          .setProtectedHeader({ alg: 'HS256', 'x5t#S256': sha256Thumbprint(appCert) })
          .setIssuer(APP)
          .setSubject(APP)
          .setExpirationTime(NOW + 60)
          .sign(new TextEncoder().encode('secret-secret-secret-secret-secret')),
      700027,
      /RS256 or PS256/,
    ],
  ]
  it.each(cases)('%s', async (_, make, code, message) => {
    const t = await buildTestApp()
    expectEntraError(await postForm(t.app, tokenUrl(), withAssertion(await make())), {
      status: 401,
      error: 'invalid_client',
      code,
      message,
    })
  })
})

describe('token endpoint errors, in Entra shape', () => {
  const cases: [string, string, Record<string, string>, number, string, number, RegExp?][] = [
    [
      'wrong secret',
      tokenUrl(),
      clientCredentials({ client_secret: 'nope' }),
      401,
      'invalid_client',
      7000215,
      /Invalid client secret provided.*'7b0484fa/,
    ],
    [
      'unknown app',
      tokenUrl(),
      clientCredentials({ client_id: '00000000-1111-2222-3333-444444444444' }),
      400,
      'unauthorized_client',
      700016,
      /Application with identifier '00000000-1111-2222-3333-444444444444' was not found in the directory/,
    ],
    [
      'an app of another tenant',
      tokenUrl(FABRIKAM.tenantId),
      clientCredentials(),
      400,
      'unauthorized_client',
      700016,
    ],
    ['unknown tenant', tokenUrl('nowhere.example'), clientCredentials(), 400, 'invalid_tenant', 90002],
    [
      'a confidential client without credentials',
      tokenUrl(),
      clientCredentials({ client_secret: '' }),
      401,
      'invalid_client',
      7000218,
    ],
    ['a bad scope', tokenUrl(), clientCredentials({ scope: 'not a scope' }), 400, 'invalid_scope', 70011],
    [
      'an unknown resource',
      tokenUrl(),
      clientCredentials({ scope: 'https://example.com//.default' }),
      400,
      'invalid_resource',
      500011,
    ],
    [
      'two resources',
      tokenUrl(),
      clientCredentials({
        scope: 'https://graph.microsoft.com/.default https://management.azure.com/.default',
      }),
      400,
      'invalid_scope',
      700022,
    ],
    [
      'client credentials without /.default',
      tokenUrl(),
      clientCredentials({ scope: 'https://service.flow.microsoft.com/user_impersonation' }),
      400,
      'invalid_scope',
      1002012,
      /must have a scope value with \/.default suffixed/,
    ],
    [
      'client credentials on /common',
      tokenUrl('common'),
      clientCredentials(),
      400,
      'invalid_request',
      9001023,
    ],
    [
      'resource on v2',
      tokenUrl(),
      clientCredentials({ resource: 'https://service.flow.microsoft.com/' }),
      400,
      'invalid_request',
      901002,
    ],
    [
      'an unsupported grant',
      tokenUrl(),
      clientCredentials({ grant_type: 'client_credential' }),
      400,
      'unsupported_grant_type',
      70003,
      /unsupported grant type 'client_credential'/,
    ],
    ['no grant_type', tokenUrl(), { client_id: APP }, 400, 'invalid_request', 900144, /'grant_type'/],
    [
      'no scope',
      tokenUrl(),
      { grant_type: 'client_credentials', client_id: APP, client_secret: SECRET },
      400,
      'invalid_request',
      900144,
      /'scope'/,
    ],
    [
      'a public client with a secret',
      tokenUrl(),
      {
        grant_type: 'password',
        client_id: PUBLIC_CLIENT,
        client_secret: 'x',
        username: CONTOSO.admin.upn,
        password: 'Demo!Passw0rd',
        scope: FLOW_SCOPE,
      },
      400,
      'invalid_request',
      700025,
    ],
    [
      'a wrong password',
      tokenUrl(),
      {
        grant_type: 'password',
        client_id: PUBLIC_CLIENT,
        username: CONTOSO.admin.upn,
        password: 'wrong',
        scope: FLOW_SCOPE,
      },
      400,
      'invalid_grant',
      50126,
      /invalid username or password/,
    ],
    [
      'an unknown user',
      tokenUrl(),
      {
        grant_type: 'password',
        client_id: PUBLIC_CLIENT,
        username: 'ghost@contoso.onmicrosoft.com',
        password: 'x',
        scope: FLOW_SCOPE,
      },
      400,
      'invalid_grant',
      50034,
    ],
    [
      'a bad refresh token',
      tokenUrl(),
      { grant_type: 'refresh_token', client_id: PUBLIC_CLIENT, refresh_token: 'bogus', scope: FLOW_SCOPE },
      400,
      'invalid_grant',
      70000,
    ],
    [
      'a bad authorization code',
      tokenUrl(),
      {
        grant_type: 'authorization_code',
        client_id: PUBLIC_CLIENT,
        code: 'bogus',
        redirect_uri: 'http://localhost/cb',
        scope: FLOW_SCOPE,
      },
      400,
      'invalid_grant',
      70000,
    ],
  ]
  it.each(cases)('%s', async (_, url, fields, status, error, code, message) => {
    const t = await buildTestApp()
    expectEntraError(await postForm(t.app, url, fields), {
      status,
      error,
      code,
      ...(message ? { message } : {}),
    })
  })

  it('echoes client-request-id as correlation_id and the request id as trace_id', async () => {
    const t = await buildTestApp()
    const id = randomUUID()
    const res = await postForm(
      t.app,
      `${tokenUrl()}?client-request-id=${id}`,
      clientCredentials({ client_secret: 'nope' }),
    )
    const body = expectEntraError(res, { status: 401, error: 'invalid_client', code: 7000215 })
    expect(body['correlation_id']).toBe(id)
    expect(body['trace_id']).toBe(res.headers['x-ms-request-id'])
    expect(body['timestamp']).toBe('2026-01-15 10:00:00Z')
  })

  it('a JSON body or a malformed form is a 400 in Entra shape, never a 500', async () => {
    const t = await buildTestApp()
    const json = await t.app.inject({
      method: 'POST',
      url: tokenUrl(),
      payload: { grant_type: 'client_credentials' },
    })
    expect(json.statusCode).toBe(400)
    expect(json.json().error).toBe('invalid_request')
    const text = await t.app.inject({
      method: 'POST',
      url: tokenUrl(),
      headers: { 'content-type': 'text/plain' },
      payload: 'x',
    })
    expectEntraError(text, { status: 400, error: 'invalid_request', code: 9002313 })
  })
})

describe('password and refresh_token', () => {
  const ropc = {
    grant_type: 'password',
    client_id: PUBLIC_CLIENT,
    username: CONTOSO.admin.upn,
    password: 'Demo!Passw0rd',
    scope: `${FLOW_SCOPE} openid profile offline_access`,
    client_info: '1',
  }

  it('returns access, refresh and ID tokens, client_info, and echoes the resource scope', async () => {
    const t = await buildTestApp()
    const res = await postForm(t.app, tokenUrl(), ropc)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({
      token_type: 'Bearer',
      scope: FLOW_SCOPE,
      expires_in: 3599,
      ext_expires_in: 3599,
    })
    expect(JSON.parse(Buffer.from(body.client_info, 'base64url').toString())).toEqual({
      uid: CONTOSO.admin.id,
      utid: CONTOSO.tenantId,
    })
    expect(decodeJwt(body.id_token)).toMatchObject({
      aud: PUBLIC_CLIENT,
      iss: `https://login.microsoftonline.com/${CONTOSO.tenantId}/v2.0`,
      tid: CONTOSO.tenantId,
      oid: CONTOSO.admin.id,
      preferred_username: CONTOSO.admin.upn,
      ver: '2.0',
    })
    expect(decodeJwt(body.access_token)).toMatchObject({
      idtyp: 'user',
      scp: 'user_impersonation',
      appid: PUBLIC_CLIENT,
      appidacr: '0',
    })
    expect(body.refresh_token).toEqual(expect.any(String))
  })

  it('on /organizations finds the tenant from the user name', async () => {
    const t = await buildTestApp()
    const res = await postForm(t.app, tokenUrl('organizations'), { ...ropc, username: FABRIKAM.admin.upn })
    expect(decodeJwt(res.json().access_token)['tid']).toBe(FABRIKAM.tenantId)
  })

  it('refreshes for the same user, for another resource, and refuses another client or an expired token', async () => {
    const t = await buildTestApp()
    const first = (await postForm(t.app, tokenUrl(), ropc)).json()
    const refreshed = await postForm(t.app, tokenUrl(), {
      grant_type: 'refresh_token',
      client_id: PUBLIC_CLIENT,
      refresh_token: first.refresh_token,
      scope: 'https://management.azure.com//.default openid',
      client_info: '1',
    })
    expect(refreshed.statusCode).toBe(200)
    expect(decodeJwt(refreshed.json().access_token)).toMatchObject({
      aud: 'https://management.azure.com/',
      oid: CONTOSO.admin.id,
    })
    expectEntraError(
      await postForm(t.app, tokenUrl(), {
        grant_type: 'refresh_token',
        client_id: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
        refresh_token: first.refresh_token,
        scope: FLOW_SCOPE,
      }),
      { status: 400, error: 'invalid_grant', code: 70000 },
    )
    t.clock.advance(91 * 24 * 3600)
    expectEntraError(
      await postForm(t.app, tokenUrl(), {
        grant_type: 'refresh_token',
        client_id: PUBLIC_CLIENT,
        refresh_token: first.refresh_token,
        scope: FLOW_SCOPE,
      }),
      { status: 400, error: 'invalid_grant', code: 70008 },
    )
  })
})
