import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'

import { decodeJwt, type JWTPayload } from 'jose'
import type { LightMyRequestResponse } from 'fastify'
import { describe, expect, it } from 'vitest'

import { buildTestApp, TEST_NOW, type TestApp } from '../helpers/build-test-app.ts'
import { assertion, withAssertion } from '../helpers/client-assertion.ts'
import { ADMIN, API, CONTOSO, FABRIKAM } from '../helpers/demo.ts'
import { postForm, tokenUrl } from '../helpers/entra.ts'
import { demoSigningKey, resign, strangerKey, unsignedToken } from '../helpers/tokens.ts'

/**
 * Token attacks, one table: every forged, stolen, replayed or misdirected credential
 * gets the documented refusal and never a success. The Flow API rows call GET permissions with
 * the token; the Entra rows present a client assertion to the token endpoint.
 */
const NOW = Math.floor(new Date(TEST_NOW).getTime() / 1000)
const contoso = demoSigningKey('contoso')
const fabrikam = demoSigningKey('fabrikam')
const asContoso = { key: contoso.key, header: { alg: 'RS256', kid: contoso.kid } }
const contosoCertificate = new X509Certificate(
  (
    JSON.parse(readFileSync('fixtures/demo-tenant.json', 'utf8')) as {
      tenants: { signingKey: { certificatePem: string } }[]
    }
  ).tenants[0]!.signingKey.certificatePem,
)
const edit = (good: string, change: (c: JWTPayload) => JWTPayload) => resign(good, change, asContoso)
const permissionsOf = (env: string) =>
  `${ADMIN}/environments/${env}/flows/${CONTOSO.flows.invoiceApproval}/permissions?${API}`

type Expected = { status: number; code: string }
type Attack = [
  name: string,
  run: (t: TestApp, good: string) => Promise<LightMyRequestResponse>,
  expected: Expected,
]

const withToken =
  (make: (good: string) => Promise<string> | string, env: string = CONTOSO.defaultEnv) =>
  async (t: TestApp, good: string) =>
    t.as(await make(good), { method: 'GET', url: permissionsOf(env) })
const unauthenticated = { status: 401, code: 'AuthenticationFailed' }

const attacks: Attack[] = [
  ['alg none', withToken((good) => unsignedToken(decodeJwt(good))), unauthenticated],
  [
    'HS256 signed with the public key (algorithm confusion)',
    withToken((good) =>
      resign(good, (c) => c, {
        key: new TextEncoder().encode(
          contosoCertificate.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        ),
        header: { alg: 'HS256', kid: contoso.kid },
      }),
    ),
    unauthenticated,
  ],
  [
    'PS256 where RS256 is required',
    withToken((good) =>
      resign(good, (c) => c, { key: contoso.key, header: { alg: 'PS256', kid: contoso.kid } }),
    ),
    unauthenticated,
  ],
  [
    'an unknown kid',
    withToken((good) =>
      resign(good, (c) => c, { key: strangerKey(), header: { alg: 'RS256', kid: 'dW5rbm93bg' } }),
    ),
    unauthenticated,
  ],
  [
    'no kid',
    withToken((good) => resign(good, (c) => c, { key: contoso.key, header: { alg: 'RS256' } })),
    unauthenticated,
  ],
  [
    'a tampered payload (another oid, signature kept)',
    withToken((good) => {
      const [h, p, s] = good.split('.')
      const claims = {
        ...(JSON.parse(Buffer.from(p!, 'base64url').toString()) as JWTPayload),
        oid: CONTOSO.maker.id,
      }
      return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`
    }),
    unauthenticated,
  ],
  [
    'expired',
    withToken((good) => edit(good, (c) => ({ ...c, iat: NOW - 7200, nbf: NOW - 7200, exp: NOW - 600 }))),
    { status: 401, code: 'ExpiredAuthenticationToken' },
  ],
  [
    'no exp (it would never expire)',
    withToken((good) =>
      edit(good, (c) => {
        const { exp: _exp, ...rest } = c
        return rest
      }),
    ),
    unauthenticated,
  ],
  ['exp 1e308', withToken((good) => edit(good, (c) => ({ ...c, exp: 1e308 }))), unauthenticated],
  [
    'exp a year after iat (longer than --max-token-lifetime)',
    withToken((good) => edit(good, (c) => ({ ...c, iat: NOW, exp: NOW + 365 * 86_400 }))),
    unauthenticated,
  ],
  [
    'iat and exp both far in the future (a short lifetime, from a later iat)',
    withToken((good) => edit(good, (c) => ({ ...c, iat: NOW + 10 ** 9, exp: NOW + 10 ** 9 + 60 }))),
    unauthenticated,
  ],
  [
    'nbf in the future',
    withToken((good) => edit(good, (c) => ({ ...c, nbf: NOW + 900, exp: NOW + 4000 }))),
    unauthenticated,
  ],
  [
    'wrong aud (Graph)',
    withToken((good) => edit(good, (c) => ({ ...c, aud: 'https://graph.microsoft.com' }))),
    { status: 401, code: 'InvalidAuthenticationTokenAudience' },
  ],
  [
    'wrong aud: the one-slash form',
    withToken((good) => edit(good, (c) => ({ ...c, aud: 'https://service.flow.microsoft.com' }))),
    { status: 401, code: 'InvalidAuthenticationTokenAudience' },
  ],
  [
    'wrong iss',
    withToken((good) => edit(good, (c) => ({ ...c, iss: 'https://sts.example.com/attacker/' }))),
    { status: 401, code: 'InvalidAuthenticationTokenTenant' },
  ],
  [
    'a tenant that does not exist',
    withToken((good) =>
      resign(
        good,
        (c) => ({
          ...c,
          tid: '99999999-9999-4999-8999-999999999999',
          iss: 'https://sts.windows.net/99999999-9999-4999-8999-999999999999/',
        }),
        { key: strangerKey(), header: { alg: 'RS256', kid: 'bm8tc3VjaC10ZW5hbnQ' } },
      ),
    ),
    unauthenticated,
  ],
  [
    "signed by another tenant's key (Fabrikam's key, Contoso's claims)",
    withToken((good) =>
      resign(good, (c) => c, { key: fabrikam.key, header: { alg: 'RS256', kid: fabrikam.kid } }),
    ),
    { status: 401, code: 'InvalidAuthenticationTokenTenant' },
  ],
  [
    "a Contoso admin's valid token on Fabrikam's environment",
    withToken((good) => good, FABRIKAM.defaultEnv),
    { status: 403, code: 'EnvironmentAccessDenied' },
  ],
  [
    // A replay within the assertion's lifetime is accepted, as Entra accepts it (MSAL reuses its
    // assertion for 600 s); one past its lifetime and the clock skew is refused.
    'a client assertion replayed after it expired',
    async (t) => {
      const jwt = await assertion({})
      expect((await postForm(t.app, tokenUrl(), withAssertion(jwt))).statusCode).toBe(200)
      expect((await postForm(t.app, tokenUrl(), withAssertion(jwt))).statusCode).toBe(200)
      t.clock.advance(600 + 301)
      return postForm(t.app, tokenUrl(), withAssertion(jwt))
    },
    { status: 401, code: 'invalid_client' },
  ],
  [
    'a client assertion whose aud is another endpoint',
    async (t) =>
      postForm(
        t.app,
        tokenUrl(),
        withAssertion(
          await assertion({ aud: `https://localhost/${CONTOSO.tenantId}/oauth2/v2.0/devicecode` }),
        ),
      ),
    { status: 401, code: 'invalid_client' },
  ],
]

describe('token attacks: each refused as documented, never a success', () => {
  it.each(attacks)('%s', async (_name, run, expected) => {
    const t = await buildTestApp()
    const good = await t.mint({ user: CONTOSO.admin.upn })
    // The untouched token works: each row differs from a success by its attack alone.
    expect((await t.as(good, { method: 'GET', url: permissionsOf(CONTOSO.defaultEnv) })).statusCode).toBe(200)
    const res = await run(t, good)
    expect(res.statusCode, res.body).toBe(expected.status)
    const body = res.json<{ error: string | { code: string } }>()
    expect(typeof body.error === 'string' ? body.error : body.error.code).toBe(expected.code)
    expect(res.body).not.toContain('access_token')
  })
})

describe('--max-token-lifetime', () => {
  it('bounds exp - iat: a day by default, what the flag says otherwise', async () => {
    const t = await buildTestApp({ maxTokenLifetime: 3600 })
    const good = await t.mint({ user: CONTOSO.admin.upn })
    const call = (token: string) => t.as(token, { method: 'GET', url: permissionsOf(CONTOSO.defaultEnv) })
    expect((await call(good)).statusCode).toBe(200)
    const twoHours = await edit(good, (c) => ({ ...c, iat: NOW, exp: NOW + 7200 }))
    const res = await call(twoHours)
    expect(res.statusCode).toBe(401)
    expect(res.headers['www-authenticate']).toContain('The token lives longer than 3600 seconds')
    const day = await buildTestApp()
    const dayToken = await day.mint({ user: CONTOSO.admin.upn, expiresInSeconds: 86_400 })
    expect(
      (await day.as(dayToken, { method: 'GET', url: permissionsOf(CONTOSO.defaultEnv) })).statusCode,
    ).toBe(200)
  })

  it('the control plane does not mint a token the API would refuse', async () => {
    const t = await buildTestApp({ maxTokenLifetime: 3600 })
    const res = await t.app.inject({
      method: 'POST',
      url: '/_emulator/tokens',
      payload: { user: CONTOSO.admin.upn, expiresInSeconds: 3601 },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({
      error: {
        code: 'InvalidRequestContent',
        message:
          'The request is invalid: body.expiresInSeconds must be at most 3600 (--max-token-lifetime): a longer token is refused',
      },
    })
  })
})
