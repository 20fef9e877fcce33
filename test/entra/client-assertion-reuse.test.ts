import { createHash, X509Certificate } from 'node:crypto'

import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'

import { buildTestApp } from '../helpers/build-test-app.ts'
import { appCert, assertion, NOW, withAssertion } from '../helpers/client-assertion.ts'
import { expectEntraError, postForm, tokenUrl } from '../helpers/entra.ts'

/**
 * Client assertions as real clients send them (entra.md §2.1): MSAL Node and MSAL Python sign one
 * assertion and reuse it for every resource until it expires, and MSAL Python writes `x5t` in
 * padded base64. Entra accepts both; what it refuses stays refused.
 */
const der = new X509Certificate(appCert).raw
const sha1 = createHash('sha1').update(der).digest()
const sha256 = createHash('sha256').update(der).digest()

describe('a client assertion used again', () => {
  it('gets a token for each resource while it is valid (Flow, then Graph, then ARM)', async () => {
    const t = await buildTestApp()
    const jwt = await assertion({})
    const audiences = []
    for (const scope of [
      'https://service.flow.microsoft.com//.default',
      'https://graph.microsoft.com/.default',
      'https://management.azure.com/.default',
      'https://service.flow.microsoft.com//.default',
    ]) {
      const res = await postForm(t.app, tokenUrl(), { ...withAssertion(jwt), scope })
      expect(res.statusCode, res.body).toBe(200)
      audiences.push(decodeJwt(res.json<{ access_token: string }>().access_token).aud)
    }
    expect(audiences).toEqual([
      'https://service.flow.microsoft.com/',
      'https://graph.microsoft.com',
      'https://management.azure.com',
      'https://service.flow.microsoft.com/',
    ])
  })

  it('is refused once it has expired, past the clock skew', async () => {
    const t = await buildTestApp()
    const jwt = await assertion({})
    expect((await postForm(t.app, tokenUrl(), withAssertion(jwt))).statusCode).toBe(200)
    t.clock.advance(600 + 299)
    expect((await postForm(t.app, tokenUrl(), withAssertion(jwt))).statusCode).toBe(200)
    t.clock.advance(2)
    expectEntraError(await postForm(t.app, tokenUrl(), withAssertion(jwt)), {
      status: 401,
      error: 'invalid_client',
      code: 700024,
      message: /not within its valid time range/,
    })
  })

  it('is refused before it is valid (nbf beyond the clock skew)', async () => {
    const t = await buildTestApp()
    const jwt = await assertion({ claims: { nbf: NOW + 400, iat: NOW + 400, exp: NOW + 1000 } })
    expectEntraError(await postForm(t.app, tokenUrl(), withAssertion(jwt)), {
      status: 401,
      error: 'invalid_client',
      code: 700024,
    })
  })
})

describe('the thumbprint header, as each client writes it', () => {
  it.each([
    ['x5t in base64url (MSAL Node, Azure Identity)', { alg: 'RS256', x5t: sha1.toString('base64url') }],
    ['x5t in base64 with = padding (MSAL Python)', { alg: 'RS256', x5t: sha1.toString('base64') }],
    ['x5t#S256 in base64url', { 'x5t#S256': sha256.toString('base64url') }],
    ['x5t#S256 in base64 with = padding', { 'x5t#S256': sha256.toString('base64') }],
  ])('%s', async (_, header) => {
    const t = await buildTestApp()
    const res = await postForm(
      t.app,
      tokenUrl(),
      withAssertion(await assertion({ header: { 'x5t#S256': undefined, ...header } })),
    )
    expect(res.statusCode, res.body).toBe(200)
    expect(decodeJwt(res.json<{ access_token: string }>().access_token)['appidacr']).toBe('2')
  })

  it('refuses the thumbprint of another certificate, whatever its spelling', async () => {
    const t = await buildTestApp()
    const other = Buffer.from(sha1).fill(7, 0, 4).toString('base64')
    expectEntraError(
      await postForm(
        t.app,
        tokenUrl(),
        withAssertion(await assertion({ header: { alg: 'RS256', 'x5t#S256': undefined, x5t: other } })),
      ),
      { status: 401, error: 'invalid_client', code: 700027, message: /is not registered on application/ },
    )
  })

  it('takes a thumbprint that is not base64 as no thumbprint (50027)', async () => {
    const t = await buildTestApp()
    expectEntraError(
      await postForm(
        t.app,
        tokenUrl(),
        withAssertion(await assertion({ header: { 'x5t#S256': 'not base64!' } })),
      ),
      { status: 401, error: 'invalid_client', code: 50027 },
    )
  })
})
