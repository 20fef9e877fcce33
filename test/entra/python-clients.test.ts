import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'

import { buildTestApp } from '../helpers/build-test-app.ts'
import { CONTOSO } from '../helpers/demo.ts'
import { expectEntraError, FLOW_SCOPE, postForm, PUBLIC_CLIENT, tokenUrl } from '../helpers/entra.ts'

/**
 * What MSAL for Python and the Azure CLI send that Node clients do not (entra.md "Observed client
 * behaviour"): a device code redeemed without `scope`, and user realm discovery before a password.
 */
describe('a device code redeemed without scope (RFC 8628 §3.4)', () => {
  async function approvedDeviceCode(version: 'v1' | 'v2') {
    const t = await buildTestApp()
    const started = await postForm(
      t.app,
      `/${CONTOSO.tenantId}/oauth2/${version === 'v2' ? 'v2.0/' : ''}devicecode`,
      version === 'v2'
        ? { client_id: PUBLIC_CLIENT, scope: `${FLOW_SCOPE} offline_access openid profile` }
        : { client_id: PUBLIC_CLIENT, resource: 'https://management.core.windows.net/' },
    )
    expect(started.statusCode, started.body).toBe(200)
    const { device_code, user_code } = started.json<{ device_code: string; user_code: string }>()
    const approved = await postForm(t.app, '/devicelogin', {
      user_code,
      username: CONTOSO.admin.upn,
      password: 'Demo!Passw0rd',
    })
    expect(approved.statusCode).toBe(200)
    return { t, device_code }
  }

  it('gets the scopes the code was issued for (v2)', async () => {
    const { t, device_code } = await approvedDeviceCode('v2')
    const res = await postForm(t.app, tokenUrl(), {
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      client_id: PUBLIC_CLIENT,
      device_code,
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ scope: FLOW_SCOPE })
    expect(decodeJwt(res.json<{ access_token: string }>().access_token).aud).toBe(
      'https://service.flow.microsoft.com/',
    )
  })

  it('gets the resource the code was issued for (v1)', async () => {
    const { t, device_code } = await approvedDeviceCode('v1')
    const res = await postForm(t.app, tokenUrl(CONTOSO.tenantId, 'v1'), {
      grant_type: 'device_code',
      client_id: PUBLIC_CLIENT,
      code: device_code,
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(decodeJwt(res.json<{ access_token: string }>().access_token).aud).toBe(
      'https://management.core.windows.net/',
    )
  })

  it('takes the scope the token request names when it names one', async () => {
    const { t, device_code } = await approvedDeviceCode('v2')
    const res = await postForm(t.app, tokenUrl(), {
      grant_type: 'device_code',
      client_id: PUBLIC_CLIENT,
      device_code,
      scope: 'https://graph.microsoft.com/.default',
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(decodeJwt(res.json<{ access_token: string }>().access_token).aud).toBe(
      'https://graph.microsoft.com',
    )
  })
})

describe('GET /{tenant}/userrealm/{upn}', () => {
  it.each(['common', 'organizations', CONTOSO.tenantId, CONTOSO.domain])(
    'a tenant domain is Managed, under %s',
    async (tenant) => {
      const t = await buildTestApp()
      const res = await t.app.inject({
        method: 'GET',
        url: `/${tenant}/userrealm/${encodeURIComponent(CONTOSO.admin.upn)}?api-version=1.0`,
      })
      expect(res.statusCode, res.body).toBe(200)
      expect(res.headers['content-type']).toMatch(/^application\/json/)
      expect(res.headers['cache-control']).toBe('no-store, no-cache')
      expect(res.json()).toEqual({
        ver: '1.0',
        account_type: 'Managed',
        domain_name: CONTOSO.domain,
        cloud_instance_name: 'microsoftonline.com',
        cloud_audience_urn: 'urn:federation:MicrosoftOnline',
      })
    },
  )

  it.each(['someone@example.com', 'no-domain', 'admin@contoso', `admin@${CONTOSO.tenantId}`])(
    '%s is Unknown',
    async (upn) => {
      const t = await buildTestApp()
      const res = await t.app.inject({ method: 'GET', url: `/common/userrealm/${upn}?api-version=1.0` })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({
        ver: '1.0',
        account_type: 'Unknown',
        cloud_instance_name: 'microsoftonline.com',
      })
    },
  )

  it('refuses an unknown tenant in the path as Entra does (AADSTS90002)', async () => {
    const t = await buildTestApp()
    expectEntraError(
      await t.app.inject({ method: 'GET', url: `/nowhere.example/userrealm/${CONTOSO.admin.upn}` }),
      { status: 400, error: 'invalid_tenant', code: 90002 },
    )
  })
})
