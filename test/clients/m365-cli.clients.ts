import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { CONTOSO } from '../helpers/demo.ts'
import {
  APP_SECRET,
  DEMO_PASSWORD,
  deviceCodeApprover,
  FLOW_ADMIN_API,
  PEM_PATH,
  PFX_PASSWORD,
  PFX_PATH,
  run,
  useClientEmulator,
} from './client-harness.ts'

/**
 * The CLI for Microsoft 365 from npm (its own folder, test/clients/m365, installed by .ci/run),
 * unmodified, through the proxy (its authority is Microsoft's): every `m365 login` it offers, then
 * the Flow commands for a user (environments, runs, disable) and `m365 request` for an app, whose
 * Flow commands refuse app-only tokens by design.
 */
const M365 = new URL('./m365/node_modules/.bin/m365', import.meta.url).pathname
const HOW = 'npm ci --prefix test/clients/m365'
const available = existsSync(M365)
if (!available) {
  if (process.env['CI']) throw new Error(`the CLI for Microsoft 365 is missing in CI: ${HOW}`)
  console.warn(`skipping: the CLI for Microsoft 365 is not installed (${HOW})`)
}
const emulator = useClientEmulator()
const M365_APP = '31359c7f-bd7e-475c-86db-fdb8c937548e'
const APP = CONTOSO.automationApp.clientId

const LOGINS: Record<string, { args: string[]; appOnly: boolean }> = {
  secret: { args: ['--authType', 'secret', '--appId', APP, '--secret', APP_SECRET], appOnly: true },
  'certificate (PEM)': {
    args: [
      '--authType',
      'certificate',
      '--appId',
      APP,
      '--certificateBase64Encoded',
      readFileSync(PEM_PATH).toString('base64'),
    ],
    appOnly: true,
  },
  'certificate (PFX with a password)': {
    args: [
      '--authType',
      'certificate',
      '--appId',
      APP,
      '--certificateFile',
      PFX_PATH,
      '--password',
      PFX_PASSWORD,
    ],
    appOnly: true,
  },
  password: {
    args: [
      '--authType',
      'password',
      '--appId',
      M365_APP,
      '--userName',
      CONTOSO.admin.upn,
      '--password',
      DEMO_PASSWORD,
    ],
    appOnly: false,
  },
  'device code': { args: ['--authType', 'deviceCode', '--appId', M365_APP], appOnly: false },
}

/** The CLI with a home of its own, through the emulator's proxy, telemetry off. */
async function m365Session() {
  const env = {
    HOME: mkdtempSync(join(emulator.scratch, 'm365-')),
    HTTPS_PROXY: emulator.proxyUrl,
    NODE_EXTRA_CA_CERTS: emulator.caPath,
    CLIMICROSOFT365_NOUPDATE: '1',
  }
  const m365 = (args: string[], onOutput?: (text: string) => void) =>
    run(process.execPath, [M365, ...args], env, { onOutput })
  await m365(['cli', 'config', 'set', '--key', 'disableTelemetry', '--value', 'true'])
  return m365
}

describe.skipIf(!available)('the CLI for Microsoft 365, through the proxy', () => {
  it.each(Object.keys(LOGINS))('m365 login %s, then the Flow API', async (name) => {
    const m365 = await m365Session()
    const { args, appOnly } = LOGINS[name]!
    const approver = deviceCodeApprover(emulator)
    const login = await m365(
      ['login', ...args, '--tenant', CONTOSO.tenantId, '--output', 'json'],
      name === 'device code' ? approver.onOutput : undefined,
    )
    expect(login.code, login.stdout + login.stderr).toBe(0)
    if (name === 'device code') await approver.done
    const status = await m365(['status', '--output', 'json'])
    expect(status.code, status.stderr).toBe(0)
    expect(JSON.parse(status.stdout)).toMatchObject(
      appOnly
        ? { connectedAs: 'Contoso Flow Automation', authType: expect.stringMatching(/secret|certificate/i) }
        : { connectedAs: CONTOSO.admin.upn },
    )

    if (appOnly) {
      // `m365 request` calls any URL with the signed-in identity: an app-only read and write.
      const request = (method: string, path: string) =>
        m365([
          'request',
          '--method',
          method,
          '--url',
          `${FLOW_ADMIN_API}${path}?api-version=2016-11-01`,
          '--output',
          'json',
        ])
      const read = await request('get', '/flows')
      expect(read.code, read.stderr).toBe(0)
      expect(read.stdout).toContain(CONTOSO.flows.invoiceApproval)
      const write = await request('post', `/flows/${CONTOSO.flows.heartbeat}/stop`)
      expect(write.code, write.stderr).toBe(0)
      return
    }
    const environments = await m365(['flow', 'environment', 'list', '--output', 'json'])
    expect(environments.code, environments.stderr).toBe(0)
    expect((JSON.parse(environments.stdout) as { name: string }[]).map((e) => e.name)).toContain(
      CONTOSO.defaultEnv,
    )
    const runs = await m365([
      'flow',
      'run',
      'list',
      '--environmentName',
      CONTOSO.defaultEnv,
      '--flowName',
      CONTOSO.flows.invoiceApproval,
      '--asAdmin',
      '--output',
      'json',
    ])
    expect(runs.code, runs.stderr).toBe(0)
    expect((JSON.parse(runs.stdout) as unknown[]).length).toBe(2)
    const disable = await m365([
      'flow',
      'disable',
      '--environmentName',
      CONTOSO.defaultEnv,
      '--name',
      CONTOSO.flows.heartbeat,
      '--asAdmin',
    ])
    expect(disable.code, disable.stderr).toBe(0)
  })

  it("m365 flow run get --withTrigger: a run's end and its trigger's outputs, for the flow's owner", async () => {
    const m365 = await m365Session()
    const login = await m365([
      'login',
      '--authType',
      'password',
      '--appId',
      M365_APP,
      '--userName',
      CONTOSO.maker.upn,
      '--password',
      DEMO_PASSWORD,
      '--tenant',
      CONTOSO.tenantId,
    ])
    expect(login.code, login.stdout + login.stderr).toBe(0)
    const get = await m365([
      'flow',
      'run',
      'get',
      '--environmentName',
      CONTOSO.defaultEnv,
      '--flowName',
      CONTOSO.flows.invoiceApproval,
      '--name',
      '08585093841234567890123456789CU01',
      '--withTrigger',
      '--output',
      'json',
    ])
    expect(get.code, get.stderr).toBe(0)
    expect(JSON.parse(get.stdout)).toMatchObject({
      name: '08585093841234567890123456789CU01',
      startTime: '2025-06-12T07:00:03.0000000Z',
      endTime: '2025-06-12T07:00:41.5000000Z',
      status: 'Succeeded',
      triggerName: 'manual',
      // The CLI fetches outputsLink without a token and shows the outputs' body.
      triggerInformation: { invoiceId: 'INV-1001', amount: 1250, currency: 'EUR' },
    })
  })
})
