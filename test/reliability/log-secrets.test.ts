import { describe, expect, it } from 'vitest'

import { buildTestApp } from '../helpers/build-test-app.ts'
import { assertion, withAssertion } from '../helpers/client-assertion.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'
import { FLOW_SCOPE, postForm, PUBLIC_CLIENT, tokenUrl } from '../helpers/entra.ts'
import { captureLogs } from '../helpers/logs.ts'

/**
 * The logs of a full run, at the most verbose level, hold no secret: no password,
 * client secret, assertion, access or refresh token, authorization code, device code, control
 * key or PFX. Every grant, the API, the control plane and failures are exercised first.
 */
describe('logs never contain secrets', () => {
  it('a full run at trace level', async () => {
    const { logStream, lines } = captureLogs()
    const controlKey = 'control-key-that-must-not-leak-0123'
    const t = await buildTestApp({ logLevel: 'trace', logStream, controlKey })
    const control = { 'x-emulator-key': controlKey }
    const secrets: string[] = [controlKey, 'contoso-automation-secret', 'Demo!Passw0rd']

    const minted = await t.app.inject({
      method: 'POST',
      url: '/_emulator/tokens',
      headers: control,
      payload: { user: CONTOSO.admin.upn },
    })
    const adminToken = minted.json<{ access_token: string }>().access_token
    secrets.push(adminToken)

    const clientSecretGrant = await postForm(t.app, tokenUrl(), {
      grant_type: 'client_credentials',
      client_id: CONTOSO.automationApp.clientId,
      client_secret: 'contoso-automation-secret',
      scope: FLOW_SCOPE,
    })
    secrets.push(clientSecretGrant.json<{ access_token: string }>().access_token)
    const jwt = await assertion({})
    secrets.push(jwt)
    await postForm(t.app, tokenUrl(), withAssertion(jwt))
    await postForm(t.app, tokenUrl(), withAssertion(jwt)) // replayed: refused, and still not logged
    const password = await postForm(t.app, tokenUrl(), {
      grant_type: 'password',
      client_id: PUBLIC_CLIENT,
      username: CONTOSO.admin.upn,
      password: 'Demo!Passw0rd',
      scope: `${FLOW_SCOPE} offline_access`,
    })
    const { access_token, refresh_token } = password.json<{ access_token: string; refresh_token: string }>()
    secrets.push(access_token, refresh_token)
    const refreshed = await postForm(t.app, tokenUrl(), {
      grant_type: 'refresh_token',
      client_id: PUBLIC_CLIENT,
      refresh_token,
      scope: FLOW_SCOPE,
    })
    secrets.push(refreshed.json<{ access_token: string }>().access_token)
    await postForm(t.app, tokenUrl(), {
      grant_type: 'password',
      client_id: PUBLIC_CLIENT,
      username: CONTOSO.admin.upn,
      password: 'wrong-password-also-secret',
      scope: FLOW_SCOPE,
    })
    secrets.push('wrong-password-also-secret')
    const device = await postForm(t.app, `/${CONTOSO.tenantId}/oauth2/v2.0/devicecode`, {
      client_id: PUBLIC_CLIENT,
      scope: FLOW_SCOPE,
    })
    const deviceCode = device.json<{ device_code: string }>().device_code
    secrets.push(deviceCode)
    await postForm(t.app, tokenUrl(), {
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      client_id: PUBLIC_CLIENT,
      device_code: deviceCode,
    })

    // The API: success, a forged token, a 500-free failure path, a fault rule.
    for (const authorization of [`Bearer ${adminToken}`, `Bearer ${adminToken}x`, 'Basic YWRtaW46cGFzcw==']) {
      await t.app.inject({
        method: 'POST',
        url: `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/modifyPermissions?${API}`,
        headers: { authorization },
        payload: {
          put: [{ properties: { principal: { id: CONTOSO.analyst.id, type: 'User' }, roleName: 'CanView' } }],
        },
      })
    }
    await t.app.inject({ method: 'GET', url: '/_emulator/requests', headers: control })
    await t.app.inject({
      method: 'GET',
      url: '/_emulator/requests',
      headers: { 'x-emulator-key': 'wrong-key-0123456789' },
    })
    await t.app.inject({ method: 'GET', url: `/_emulator/ui?key=${controlKey}` })
    await t.app.inject({
      method: 'POST',
      url: '/_emulator/connections',
      headers: control,
      payload: {
        id: 'x',
        tenant: 'contoso',
        owner: CONTOSO.admin.upn,
        authType: 'CertOauth',
        pfxBase64: 'AAAA',
        password: 'pfx-password-secret',
      },
    })
    secrets.push('pfx-password-secret')

    // One line per request at least: the run was logged, so the scan below means something.
    expect(lines.filter((l) => l['msg'] === 'request completed').length).toBeGreaterThanOrEqual(16)
    const text = lines.map((l) => JSON.stringify(l)).join('\n')
    for (const secret of secrets) {
      expect(text.includes(secret), `a log line holds the secret ${secret.slice(0, 12)}…`).toBe(false)
    }
    // Not even a token's signature: a bearer token's parts never appear.
    for (const token of secrets.filter((s) => s.split('.').length === 3)) {
      expect(text).not.toContain(token.split('.')[2]!)
    }
  })
})
