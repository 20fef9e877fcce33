import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp, TEST_NOW } from '../helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'
import { demoSigningKey, resign, strangerKey, unsignedToken } from '../helpers/tokens.ts'
import { decodeJwt } from 'jose'

const URL_UNDER_TEST = `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/permissions?${API}`
const NOW = Math.floor(new Date(TEST_NOW).getTime() / 1000)
const contoso = demoSigningKey('contoso')
const fabrikam = demoSigningKey('fabrikam')
const asContoso = { key: contoso.key, header: { alg: 'RS256', kid: contoso.kid, x5t: contoso.kid } }

async function setup() {
  const t = await buildTestApp()
  const good = await t.mint({ user: CONTOSO.admin.upn })
  const call = (authorization?: string) =>
    t.app.inject({
      method: 'GET',
      url: URL_UNDER_TEST,
      headers: authorization === undefined ? {} : { authorization },
    })
  return { ...t, good, call }
}

const wwwAuthenticate = (description: string) =>
  `Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="${description}"`

describe('401 for requests the API cannot authenticate', () => {
  it('missing Authorization header: AuthenticationFailed with the header challenge', async () => {
    const t = await setup()
    const res = await t.call()
    expectServiceError(res, {
      status: 401,
      code: 'AuthenticationFailed',
      message: "Authentication failed. The 'Authorization' header is missing.",
    })
    expect(res.headers['www-authenticate']).toBe(wwwAuthenticate('The access token is missing.'))
  })

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'token abc'])(
    'an Authorization of %j',
    async (value) => {
      const t = await setup()
      const res = await t.call(value)
      expectServiceError(res, { status: 401, code: 'AuthenticationFailed', message: /invalid format/ })
      expect(res.headers['www-authenticate']).toMatch(/^Bearer authorization_uri=/)
    },
  )

  const forged: [string, (good: string) => Promise<string> | string, string][] = [
    ['not a JWT', () => 'not.a.jwt', 'malformed'],
    ['alg none', (good) => unsignedToken(decodeJwt(good)), 'RS256'],
    [
      'HS256 keyed with the public certificate (algorithm confusion)',
      (good) => {
        const cert = new X509Certificate(
          JSON.parse(readFileSync('fixtures/demo-tenant.json', 'utf8')).tenants[0].signingKey.certificatePem,
        )
        return resign(good, (c) => c, {
          key: new TextEncoder().encode(cert.publicKey.export({ type: 'spki', format: 'pem' }).toString()),
          header: { alg: 'HS256', kid: contoso.kid },
        })
      },
      'RS256',
    ],
    [
      'PS256 where RS256 is required',
      (good) => resign(good, (c) => c, { key: contoso.key, header: { alg: 'PS256', kid: contoso.kid } }),
      'RS256',
    ],
    [
      'an unknown kid',
      (good) =>
        resign(good, (c) => c, { key: strangerKey(), header: { alg: 'RS256', kid: 'bm90LWEta25vd24ta2V5' } }),
      'not known',
    ],
    ['no kid', (good) => resign(good, (c) => c, { key: contoso.key, header: { alg: 'RS256' } }), 'kid'],
    [
      'a known kid but another key',
      (good) => resign(good, (c) => c, { key: strangerKey(), header: { alg: 'RS256', kid: contoso.kid } }),
      'signature',
    ],
    [
      'a tampered payload',
      (good) => {
        const [h, p, s] = good.split('.')
        const claims = JSON.parse(Buffer.from(p!, 'base64url').toString())
        claims.oid = CONTOSO.maker.id
        return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`
      },
      'signature',
    ],
    [
      'nbf beyond the skew',
      (good) => resign(good, (c) => ({ ...c, nbf: NOW + 301, exp: NOW + 4000 }), asContoso),
      'not yet valid',
    ],
  ]
  it.each(forged)('%s: AuthenticationFailed', async (_, make, detail) => {
    const t = await setup()
    const res = await t.call(`Bearer ${await make(t.good)}`)
    expectServiceError(res, { status: 401, code: 'AuthenticationFailed' })
    // The body says why, as the header does: never the real service's empty "Authentication failed. ".
    const { message } = res.json<{ error: { message: string } }>().error
    expect(message).toMatch(/^Authentication failed\. The .+\.$/)
    expect(message).toContain(detail)
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"')
    expect(res.headers['www-authenticate']).toContain(detail)
  })

  it('an expired token: ExpiredAuthenticationToken naming both times', async () => {
    const t = await setup()
    const token = await resign(
      t.good,
      (c) => ({ ...c, iat: NOW - 4000, nbf: NOW - 4000, exp: NOW - 301 }),
      asContoso,
    )
    expectServiceError(await t.call(`Bearer ${token}`), {
      status: 401,
      code: 'ExpiredAuthenticationToken',
      message: `The access token expiry UTC time '${new Date((NOW - 301) * 1000).toISOString()}' is earlier than current UTC time '${TEST_NOW}'.`,
    })
  })

  it('the clock drives expiry: a token expires 5 minutes of skew after exp', async () => {
    const t = await setup()
    t.clock.advance(3600 + 299)
    expect((await t.call(`Bearer ${t.good}`)).statusCode).toBe(200)
    t.clock.advance(2)
    expectServiceError(await t.call(`Bearer ${t.good}`), { status: 401, code: 'ExpiredAuthenticationToken' })
  })

  it.each([
    ['another resource', 'https://graph.microsoft.com'],
    ['the one-slash scope mistake', 'https://service.flow.microsoft.com'],
  ])('audience of %s: InvalidAuthenticationTokenAudience', async (_, aud) => {
    const t = await setup()
    const token = await t.mint({ user: CONTOSO.admin.upn, audience: aud })
    expectServiceError(await t.call(`Bearer ${token}`), {
      status: 401,
      code: 'InvalidAuthenticationTokenAudience',
      message: `The access token has been obtained for wrong audience or resource '${aud}'. It should exactly match with one of the allowed audiences 'https://service.flow.microsoft.com/','https://management.azure.com/','https://management.azure.com','https://management.core.windows.net/'.`,
    })
  })

  it.each([
    [
      'a foreign issuer',
      async (good: string) => resign(good, (c) => ({ ...c, iss: 'https://evil.example/' }), asContoso),
    ],
    [
      'a tenant that does not exist',
      async (good: string) =>
        resign(
          good,
          (c) => ({
            ...c,
            tid: '00000000-0000-0000-0000-000000000001',
            iss: 'https://sts.windows.net/00000000-0000-0000-0000-000000000001/',
          }),
          asContoso,
        ),
    ],
    [
      'Contoso claims signed with the Fabrikam key',
      async (good: string) =>
        resign(good, (c) => c, { key: fabrikam.key, header: { alg: 'RS256', kid: fabrikam.kid } }),
    ],
  ])('%s: InvalidAuthenticationTokenTenant', async (_, make) => {
    const t = await setup()
    expectServiceError(await t.call(`Bearer ${await make(t.good)}`), {
      status: 401,
      code: 'InvalidAuthenticationTokenTenant',
      message: /^The access token is from the wrong issuer/,
    })
  })
})

describe('tokens the API accepts', () => {
  it.each([
    'https://service.flow.microsoft.com/',
    'https://management.azure.com/',
    'https://management.core.windows.net/',
  ])('audience %s', async (audience) => {
    const t = await setup()
    expect((await t.call(`Bearer ${await t.mint({ user: CONTOSO.admin.upn, audience })}`)).statusCode).toBe(
      200,
    )
  })

  it('a v2 issuer for the same tenant', async () => {
    const t = await setup()
    const token = await resign(
      t.good,
      (c) => ({ ...c, iss: `https://login.microsoftonline.com/${CONTOSO.tenantId}/v2.0` }),
      asContoso,
    )
    expect((await t.call(`Bearer ${token}`)).statusCode).toBe(200)
  })

  it('a token expired by less than the 5-minute skew, and the scheme in any case', async () => {
    const t = await setup()
    const token = await resign(t.good, (c) => ({ ...c, exp: NOW - 100 }), asContoso)
    expect((await t.call(`bearer ${token}`)).statusCode).toBe(200)
  })
})
