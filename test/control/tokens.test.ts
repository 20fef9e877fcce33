import { decodeJwt, decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'

import { ROLE_TEMPLATE_IDS } from '../../server/auth/directory-roles.ts'
import { expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp, TEST_NOW } from '../helpers/build-test-app.ts'
import { CONTOSO } from '../helpers/demo.ts'
import { demoSigningKey } from '../helpers/tokens.ts'

const NOW = Math.floor(new Date(TEST_NOW).getTime() / 1000)

async function mint(payload: unknown, remoteAddress?: string) {
  const t = await buildTestApp()
  return t.app.inject({
    method: 'POST',
    url: '/_emulator/tokens',
    payload: payload as Record<string, unknown>,
    ...(remoteAddress ? { remoteAddress } : {}),
  })
}

describe('POST /_emulator/tokens', () => {
  it('mints a v1 delegated token for a user, as Entra issues them for Power Automate', async () => {
    const res = await mint({ tenant: CONTOSO.tenantId, user: CONTOSO.admin.upn })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 })
    const header = decodeProtectedHeader(body.access_token)
    const kid = demoSigningKey('contoso').kid
    expect(header).toEqual({ typ: 'JWT', alg: 'RS256', kid, x5t: kid })
    const claims = decodeJwt(body.access_token)
    expect(claims).toMatchObject({
      aud: 'https://service.flow.microsoft.com/',
      iss: `https://sts.windows.net/${CONTOSO.tenantId}/`,
      ver: '1.0',
      tid: CONTOSO.tenantId,
      oid: CONTOSO.admin.id,
      appid: '1950a258-227b-4e31-a9cf-717495945fc2',
      appidacr: '0',
      idtyp: 'user',
      scp: 'user_impersonation',
      upn: CONTOSO.admin.upn,
      unique_name: CONTOSO.admin.upn,
      name: 'Contoso Admin',
      given_name: 'Contoso',
      family_name: 'Admin',
      amr: ['pwd'],
      iat: NOW,
      nbf: NOW,
      exp: NOW + 3600,
      wids: [ROLE_TEMPLATE_IDS.GlobalAdministrator, 'b79fbf4d-3ef9-4689-8143-76b194e85509'],
    })
    expect(claims.sub).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(claims.sub).not.toBe(CONTOSO.admin.id)
    expect(claims['uti']).toEqual(expect.any(String))
    expect(claims['roles']).toBeUndefined()
  })

  it('mints an app-only token for a registered application', async () => {
    const res = await mint({ tenant: 'contoso.onmicrosoft.com', clientId: CONTOSO.automationApp.clientId })
    expect(res.statusCode).toBe(200)
    const claims = decodeJwt(res.json().access_token)
    expect(claims).toMatchObject({
      appid: CONTOSO.automationApp.clientId,
      appidacr: '1',
      idtyp: 'app',
      oid: CONTOSO.automationApp.spId,
      sub: CONTOSO.automationApp.spId,
      app_displayname: 'Contoso Flow Automation',
      tid: CONTOSO.tenantId,
    })
    // Entra leaves out the roles claim when the app holds no app roles.
    expect(claims['roles']).toBeUndefined()
    expect(claims['scp']).toBeUndefined()
    expect(claims['upn']).toBeUndefined()
  })

  it('finds the tenant from the UPN domain, by short name, or by id; honours audience, lifetime and extra claims', async () => {
    for (const tenant of [undefined, 'contoso', CONTOSO.tenantId.toUpperCase()]) {
      const res = await mint({
        ...(tenant ? { tenant } : {}),
        user: CONTOSO.maker.upn,
        audience: 'https://management.azure.com/',
        expiresInSeconds: 60,
        claims: { xms_cc: ['cp1'] },
      })
      expect(res.statusCode).toBe(200)
      expect(res.json().expires_in).toBe(60)
      expect(decodeJwt(res.json().access_token)).toMatchObject({
        aud: 'https://management.azure.com/',
        exp: NOW + 60,
        xms_cc: ['cp1'],
        tid: CONTOSO.tenantId,
      })
    }
  })

  it.each([
    [{ tenant: 'nowhere.example', user: 'someone@nowhere.example' }, 404, 'TenantNotFound'],
    [{ user: 'ghost@contoso.onmicrosoft.com' }, 404, 'PrincipalNotFound'],
    [{ tenant: 'contoso', clientId: '00000000-0000-0000-0000-000000000000' }, 404, 'PrincipalNotFound'],
    [{ tenant: 'contoso' }, 400, 'InvalidRequestContent'],
    [{ user: 'no-domain' }, 400, 'InvalidRequestContent'],
    [{ user: CONTOSO.admin.upn, scope: 'x' }, 400, 'InvalidRequestContent'],
    [{ user: CONTOSO.admin.upn, expiresInSeconds: 'soon' }, 400, 'InvalidRequestContent'],
  ])('%j: %i %s', async (payload, status, code) => {
    expectServiceError(await mint(payload), { status, code })
  })

  it('answers only loopback clients', async () => {
    expectServiceError(await mint({ user: CONTOSO.admin.upn }, '10.1.2.3'), {
      status: 403,
      code: 'ControlPlaneForbidden',
      message: 'The emulator control plane only answers loopback clients.',
    })
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
      expect((await mint({ user: CONTOSO.admin.upn }, address)).statusCode).toBe(200)
    }
  })

  it('a body that parses but breaks the schema says what is wrong; unreadable JSON could not be deserialized', async () => {
    expectServiceError(await mint({ user: 5 }), {
      status: 400,
      code: 'InvalidRequestContent',
      message: 'The request is invalid: body.user must be string',
    })
    expectServiceError(await mint({}), {
      status: 400,
      code: 'InvalidRequestContent',
      message: "The request is invalid: body must have the property 'user' or 'clientId'",
    })
    const t = await buildTestApp()
    const broken = await t.app.inject({
      method: 'POST',
      url: '/_emulator/tokens',
      headers: { 'content-type': 'application/json' },
      payload: '{"user":',
    })
    expectServiceError(broken, {
      status: 400,
      code: 'InvalidRequestContent',
      message: /^The request content was invalid and could not be deserialized: /,
    })
  })
})
