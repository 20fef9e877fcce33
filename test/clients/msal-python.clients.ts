import { readFileSync } from 'node:fs'

import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'

import { CONTOSO } from '../helpers/demo.ts'
import {
  APP_SECRET,
  DEMO_PASSWORD,
  deviceCodeApprover,
  FLOW_ADMIN_API,
  installed,
  PEM_PATH,
  PFX_PASSWORD,
  PFX_PATH,
  run,
  sha1Hex,
  useClientEmulator,
} from './client-harness.ts'

/**
 * MSAL for Python from Debian's python3-msal, unmodified: every sign-in it offers, directly (its
 * authority set to the emulator) and through the proxy (its default authority), then a read and
 * a write of the Flow admin API with `requests`.
 */
const PYTHON = '/usr/bin/python3'
const SCRIPT = new URL('./msal_python_client.py', import.meta.url).pathname
const available = installed([PYTHON, '-c', 'import msal, requests'], 'sudo apt-get install -y python3-msal')
const emulator = useClientEmulator()
const pem = readFileSync(PEM_PATH, 'utf8')
const FLOW = 'https://service.flow.microsoft.com//.default'
const GRAPH = 'https://graph.microsoft.com/.default'
const ARM = 'https://management.azure.com/.default'

const SIGN_INS = {
  secret: { clientId: CONTOSO.automationApp.clientId, secret: APP_SECRET, scopes: [FLOW, GRAPH, ARM] },
  certificate: {
    clientId: CONTOSO.automationApp.clientId,
    privateKey: pem.slice(pem.indexOf('-----BEGIN PRIVATE KEY')),
    thumbprint: sha1Hex(PEM_PATH),
    // One signed assertion serves the three resources (MSAL Python reuses it).
    scopes: [FLOW, GRAPH, ARM],
  },
  password: {
    clientId: '1950a258-227b-4e31-a9cf-717495945fc2',
    username: CONTOSO.admin.upn,
    password: DEMO_PASSWORD,
    scopes: [FLOW, GRAPH],
  },
  deviceCode: { clientId: '1950a258-227b-4e31-a9cf-717495945fc2', scopes: [FLOW, GRAPH] },
} as const

describe.skipIf(!available).each(['direct', 'proxy'] as const)('MSAL for Python, %s', (route) => {
  it.each(Object.keys(SIGN_INS) as (keyof typeof SIGN_INS)[])(
    '%s, then a read and a write',
    async (signIn) => {
      const direct = route === 'direct'
      const authority = direct
        ? `${emulator.httpsUrl}/${CONTOSO.tenantId}`
        : `https://login.microsoftonline.com/${CONTOSO.tenantId}`
      const flowApi = direct
        ? `${emulator.listening.httpsUrl}/providers/Microsoft.ProcessSimple/scopes/admin/environments/${CONTOSO.defaultEnv}`
        : FLOW_ADMIN_API
      const approver = deviceCodeApprover(emulator)
      const result = await run(
        PYTHON,
        [
          SCRIPT,
          JSON.stringify({ ...SIGN_INS[signIn], signIn, authority, flowApi, flow: CONTOSO.flows.heartbeat }),
        ],
        {
          REQUESTS_CA_BUNDLE: emulator.caBundle,
          ...(direct ? {} : { HTTPS_PROXY: emulator.proxyUrl }),
        },
        { onOutput: signIn === 'deviceCode' ? approver.onOutput : undefined },
      )
      if (direct && signIn === 'password') {
        // MSAL Python 1.21 drops the authority's port for user realm discovery
        // (authority.py: `https://{hostname}/common/userrealm/...`): a password sign-in reaches the
        // emulator directly only on port 443. Through the proxy it works (below).
        expect(result.code).not.toBe(0)
        expect(result.stderr).toMatch(/port=443\): Max retries exceeded with url: \/common\/userrealm\//)
        return
      }
      expect(result.code, result.stdout + result.stderr).toBe(0)
      if (signIn === 'deviceCode') await approver.done
      const lines = result.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
      const tokens = lines.filter((l) => l['token']).map((l) => decodeJwt(l['token'] as string))
      expect(tokens.map((t) => t.aud)).toEqual(
        SIGN_INS[signIn].scopes.map((s) => s.replace(/\/?\/\.default$/, s === FLOW ? '/' : '')),
      )
      expect(lines).toContainEqual({ read: 200, flows: expect.any(Number) })
      expect(lines).toContainEqual({ write: 200 })
    },
  )
})

const IDENTITY_SCRIPT = new URL('./azure_identity_python_client.py', import.meta.url).pathname
const identityAvailable =
  available && installed([PYTHON, '-c', 'import azure.identity'], 'sudo apt-get install -y python3-azure')

describe.skipIf(!identityAvailable)('Azure Identity for Python, direct', () => {
  it.each([
    ['ClientSecretCredential', { signIn: 'secret', secret: APP_SECRET }],
    ['CertificateCredential, PEM', { signIn: 'certificate', certificatePath: PEM_PATH }],
    [
      'CertificateCredential, PFX with a password',
      { signIn: 'certificate', certificatePath: PFX_PATH, password: PFX_PASSWORD },
    ],
  ])('%s: Flow, Graph and ARM tokens from one credential, then a read and a write', async (_, signIn) => {
    const result = await run(
      PYTHON,
      [
        IDENTITY_SCRIPT,
        JSON.stringify({
          ...signIn,
          authorityHost: emulator.httpsUrl,
          tenantId: CONTOSO.tenantId,
          clientId: CONTOSO.automationApp.clientId,
          scopes: [FLOW, GRAPH, ARM],
          flowApi: `${emulator.httpsUrl}/providers/Microsoft.ProcessSimple/scopes/admin/environments/${CONTOSO.defaultEnv}`,
          flow: CONTOSO.flows.heartbeat,
        }),
      ],
      { REQUESTS_CA_BUNDLE: emulator.caBundle },
    )
    expect(result.code, result.stdout + result.stderr).toBe(0)
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines.filter((l) => l['token']).map((l) => decodeJwt(l['token'] as string).aud)).toEqual([
      'https://service.flow.microsoft.com/',
      'https://graph.microsoft.com',
      'https://management.azure.com',
    ])
    expect(lines).toContainEqual({ read: 200 })
    expect(lines).toContainEqual({ write: 200 })
  })
})
