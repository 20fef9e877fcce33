import { mkdtempSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { CONTOSO } from '../helpers/demo.ts'
import {
  APP_SECRET,
  DEMO_PASSWORD,
  deviceCodeApprover,
  FLOW_ADMIN_API,
  installed,
  PEM_PATH,
  run,
  useClientEmulator,
} from './client-harness.ts'

/**
 * The Azure CLI from Debian's azure-cli, unmodified, through the proxy (its authority and ARM are
 * Microsoft's): every `az login` it offers, then a read and a write of the Flow admin API with
 * `az rest`. Its `requests` trusts one CA file: the system's CAs joined with the emulator's.
 */
const available = installed(['az', 'version'], 'sudo apt-get install -y azure-cli')
const emulator = useClientEmulator()

const LOGINS: Record<string, string[]> = {
  'service principal, secret': [
    '--service-principal',
    '-u',
    CONTOSO.automationApp.clientId,
    '-p',
    APP_SECRET,
    '--tenant',
    CONTOSO.tenantId,
  ],
  'service principal, certificate (PEM)': [
    '--service-principal',
    '-u',
    CONTOSO.automationApp.clientId,
    '-p',
    PEM_PATH,
    '--tenant',
    CONTOSO.tenantId,
  ],
  'user, password': ['-u', CONTOSO.admin.upn, '-p', DEMO_PASSWORD],
  'user, device code': ['--use-device-code'],
}

describe.skipIf(!available)('the Azure CLI, through the proxy', () => {
  it.each(Object.keys(LOGINS))('az login: %s, then az rest reads and writes', async (name) => {
    const env = {
      AZURE_CONFIG_DIR: mkdtempSync(join(emulator.scratch, 'az-')),
      HTTPS_PROXY: emulator.proxyUrl,
      REQUESTS_CA_BUNDLE: emulator.caBundle,
      AZURE_CORE_COLLECT_TELEMETRY: 'false',
      AZURE_CORE_NO_COLOR: 'true',
      HOME: emulator.scratch,
    }
    const approver = deviceCodeApprover(emulator)
    const login = await run('az', ['login', ...LOGINS[name]!, '--output', 'json'], env, {
      onOutput: name.includes('device') ? approver.onOutput : undefined,
    })
    expect(login.code, login.stdout + login.stderr).toBe(0)
    if (name.includes('device')) await approver.done
    // The demo tenant's subscription, from ARM's /subscriptions: no --allow-no-subscriptions needed.
    const accounts = JSON.parse(login.stdout) as { tenantId: string; user: { name: string; type: string } }[]
    expect(accounts).toHaveLength(1)
    expect(accounts[0]).toMatchObject({
      id: CONTOSO.subscription.id,
      name: CONTOSO.subscription.displayName,
      state: 'Enabled',
      isDefault: true,
      tenantId: CONTOSO.tenantId,
    })
    expect(accounts[0]!.user.type).toBe(name.startsWith('service') ? 'servicePrincipal' : 'user')

    const rest = (method: string, path: string) =>
      run(
        'az',
        [
          'rest',
          '--method',
          method,
          '--url',
          `${FLOW_ADMIN_API}${path}?api-version=2016-11-01`,
          '--resource',
          'https://service.flow.microsoft.com/',
          '--output',
          'json',
        ],
        env,
      )
    const read = await rest('get', '/flows')
    expect(read.code, read.stderr).toBe(0)
    expect((JSON.parse(read.stdout) as { value: { name: string }[] }).value.map((f) => f.name)).toContain(
      CONTOSO.flows.invoiceApproval,
    )
    const write = await rest('post', `/flows/${CONTOSO.flows.heartbeat}/stop`)
    expect(write.code, write.stderr).toBe(0)
  })
})
