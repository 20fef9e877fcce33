import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import { describe, expect, it } from 'vitest'

import { buildTestApp, TEST_NOW } from '../helpers/build-test-app.ts'
import { CONTOSO, FABRIKAM } from '../helpers/demo.ts'
import { expectEntraError } from '../helpers/entra.ts'
import { demoSigningKey } from '../helpers/tokens.ts'

const HOST = { host: 'localhost:7443' }

describe('OpenID configuration', () => {
  it('v2: endpoints on the host and scheme the client used, the tenant GUID, Microsoft issuer', async () => {
    const t = await buildTestApp()
    for (const tenant of [CONTOSO.tenantId, CONTOSO.domain]) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/${tenant}/v2.0/.well-known/openid-configuration`,
        headers: HOST,
      })
      expect(res.statusCode).toBe(200)
      expect(res.headers['cache-control']).toBe('max-age=86400, private')
      const base = `http://localhost:7443/${CONTOSO.tenantId}`
      expect(res.json()).toMatchObject({
        issuer: `https://login.microsoftonline.com/${CONTOSO.tenantId}/v2.0`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: [
          'client_secret_post',
          'private_key_jwt',
          'client_secret_basic',
        ],
      })
    }
  })

  it('v1: the sts.windows.net issuer and v1 endpoints', async () => {
    const t = await buildTestApp()
    const res = await t.app.inject({
      method: 'GET',
      url: `/${CONTOSO.tenantId}/.well-known/openid-configuration`,
      headers: HOST,
    })
    expect(res.json()).toMatchObject({
      issuer: `https://sts.windows.net/${CONTOSO.tenantId}/`,
      token_endpoint: `http://localhost:7443/${CONTOSO.tenantId}/oauth2/token`,
      jwks_uri: `http://localhost:7443/${CONTOSO.tenantId}/discovery/keys`,
    })
  })

  it.each(['common', 'organizations'])('%s: the {tenantid} issuer template', async (alias) => {
    const t = await buildTestApp()
    const res = await t.app.inject({
      method: 'GET',
      url: `/${alias}/v2.0/.well-known/openid-configuration`,
      headers: HOST,
    })
    expect(res.json()).toMatchObject({
      issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
      token_endpoint: `http://localhost:7443/${alias}/oauth2/v2.0/token`,
    })
  })

  it('with --issuer-host, issuers name the emulator, and its tokens still work on the API', async () => {
    const t = await buildTestApp({ issuerHost: 'https://localhost:7443' })
    const res = await t.app.inject({
      method: 'GET',
      url: `/${CONTOSO.tenantId}/v2.0/.well-known/openid-configuration`,
    })
    expect(res.json().issuer).toBe(`https://localhost:7443/${CONTOSO.tenantId}/v2.0`)
    const token = await t.mint({ user: CONTOSO.admin.upn })
    const api = await t.as(token, {
      method: 'GET',
      url: `/providers/Microsoft.ProcessSimple/scopes/admin/environments/~default/flows?api-version=2016-11-01`,
    })
    expect(api.statusCode).toBe(200)
  })

  it('an unknown tenant: 400 invalid_tenant AADSTS90002', async () => {
    const t = await buildTestApp()
    for (const tenant of ['nowhere.onmicrosoft.com', '00000000-0000-0000-0000-000000000000', 'contoso']) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/${tenant}/v2.0/.well-known/openid-configuration`,
      })
      expectEntraError(res, {
        status: 400,
        error: 'invalid_tenant',
        code: 90002,
        message: new RegExp(`Tenant '${tenant}' not found`),
      })
    }
  })
})

describe('JWKS and instance discovery', () => {
  it('publishes the tenant key with kid = x5t and x5c, and verifies the tokens the emulator signs', async () => {
    const t = await buildTestApp()
    const res = await t.app.inject({ method: 'GET', url: `/${CONTOSO.tenantId}/discovery/v2.0/keys` })
    expect(res.statusCode).toBe(200)
    const jwks = res.json<JSONWebKeySet & { keys: Record<string, unknown>[] }>()
    expect(jwks.keys).toHaveLength(1)
    const { kid } = demoSigningKey('contoso')
    expect(jwks.keys[0]).toMatchObject({
      kty: 'RSA',
      use: 'sig',
      kid,
      x5t: kid,
      e: 'AQAB',
      issuer: `https://login.microsoftonline.com/${CONTOSO.tenantId}/v2.0`,
    })
    expect((jwks.keys[0]!['x5c'] as string[])[0]).toMatch(/^MII/)
    const token = await t.mint({ user: CONTOSO.admin.upn })
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { currentDate: new Date(TEST_NOW) })
    expect(payload['tid']).toBe(CONTOSO.tenantId)

    const v1 = await t.app.inject({ method: 'GET', url: `/${CONTOSO.domain}/discovery/keys` })
    expect(v1.json().keys[0]).not.toHaveProperty('issuer')
    const common = await t.app.inject({ method: 'GET', url: '/common/discovery/keys' })
    expect(
      common
        .json()
        .keys.map((k: { kid: string }) => k.kid)
        .sort(),
    ).toEqual([kid, demoSigningKey('fabrikam').kid].sort())
    expect(FABRIKAM.tenantId).toBeTruthy()
  })

  it('answers instance discovery with the host the client used as its own alias', async () => {
    const t = await buildTestApp()
    const res = await t.app.inject({
      method: 'GET',
      url: '/common/discovery/instance?api-version=1.1&authorization_endpoint=https://localhost:7443/x/oauth2/v2.0/authorize',
      headers: HOST,
    })
    expect(res.json()).toEqual({
      tenant_discovery_endpoint: 'http://localhost:7443/{tenant}/v2.0/.well-known/openid-configuration',
      'api-version': '1.1',
      metadata: [
        {
          preferred_network: 'localhost:7443',
          preferred_cache: 'localhost:7443',
          aliases: ['localhost:7443'],
        },
      ],
    })
  })
})
