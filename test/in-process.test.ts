import { expect, it } from 'vitest'

import { startEmulator } from '../server/index.ts'
import { ADMIN, API, CONTOSO } from './helpers/demo.ts'

it('startEmulator: free ports, :memory:, tokens, a tenant per test, reset and close', async () => {
  const emulator = await startEmulator({ dataDir: process.env['EMULATOR_TEST_DATA_DIR']!, proxyPort: 0 })
  try {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(emulator.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(emulator.caCertPath).toMatch(/ca\.pem$/)
    expect(emulator.proxyUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(emulator.tenants.map((t) => t.name)).toEqual(['contoso', 'fabrikam'])

    const token = await emulator.tokens.forUser(CONTOSO.admin.upn)
    const stop = `${emulator.url}${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/stop?${API}`
    expect(
      (await fetch(stop, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200)
    const appToken = await emulator.tokens.forApp(CONTOSO.automationApp.clientId)
    expect(
      (await fetch(stop, { method: 'POST', headers: { authorization: `Bearer ${appToken}` } })).status,
    ).toBe(200)

    const tenant = await emulator.newTenant()
    expect(tenant.domain).toBe('contoso-1.onmicrosoft.com')
    const own = await fetch(`${emulator.httpsUrl}${ADMIN}/environments/~default/flows?${API}`, {
      headers: { authorization: `Bearer ${tenant.adminToken}` },
    })
    expect(own.status).toBe(200)

    await emulator.reset()
    expect(emulator.tenants.map((t) => t.name)).toEqual(['contoso', 'fabrikam'])
    await expect(emulator.tokens.forUser('ghost@contoso.onmicrosoft.com')).rejects.toThrow(/No user/)
  } finally {
    await emulator.close()
  }
})
