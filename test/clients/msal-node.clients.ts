import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'

import { ClientCertificateCredential } from '@azure/identity'
import { ConfidentialClientApplication } from '@azure/msal-node'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'

import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'
import { PEM_PATH, useClientEmulator } from './client-harness.ts'

/**
 * MSAL Node 7 and Azure Identity 4 (its own MSAL Node 5), one certificate credential for several
 * resources: both sign one client assertion and reuse it for 600 s, for every resource. Then a
 * read and a write of the Flow admin API with the Flow token.
 */
const emulator = useClientEmulator()
const pem = readFileSync(PEM_PATH, 'utf8')
const x509 = new X509Certificate(pem.slice(0, pem.indexOf('-----END CERTIFICATE-----') + 25))
const RESOURCES = [
  ['https://service.flow.microsoft.com//.default', 'https://service.flow.microsoft.com/'],
  ['https://graph.microsoft.com/.default', 'https://graph.microsoft.com'],
  ['https://management.azure.com/.default', 'https://management.azure.com'],
  ['https://management.core.windows.net//.default', 'https://management.core.windows.net/'],
] as const

async function readAndWrite(token: string): Promise<void> {
  const base = `${emulator.httpsUrl}${ADMIN}/environments/${CONTOSO.defaultEnv}/flows`
  const headers = { authorization: `Bearer ${token}` }
  const read = await fetch(`${base}?${API}`, { headers })
  expect(read.status).toBe(200)
  const write = await fetch(`${base}/${CONTOSO.flows.heartbeat}/stop?${API}`, { method: 'POST', headers })
  expect(write.status).toBe(200)
}

describe('one certificate credential, several resources', () => {
  it('MSAL Node 7: ConfidentialClientApplication with clientCertificate', async () => {
    const host = new URL(emulator.httpsUrl).host
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: CONTOSO.automationApp.clientId,
        authority: `${emulator.httpsUrl}/${CONTOSO.tenantId}`,
        knownAuthorities: [host],
        clientCertificate: {
          thumbprintSha256: x509.fingerprint256.replace(/:/g, ''),
          privateKey: pem.slice(pem.indexOf('-----BEGIN PRIVATE KEY')),
        },
      },
    })
    const tokens = []
    for (const [scope, audience] of RESOURCES) {
      const result = await app.acquireTokenByClientCredential({ scopes: [scope] })
      expect(decodeJwt(result!.accessToken).aud).toBe(audience)
      tokens.push(result!.accessToken)
    }
    await readAndWrite(tokens[0]!)
  })

  it('Azure Identity 4: ClientCertificateCredential (PEM)', async () => {
    const credential = new ClientCertificateCredential(
      CONTOSO.tenantId,
      CONTOSO.automationApp.clientId,
      PEM_PATH,
      {
        authorityHost: emulator.httpsUrl,
        disableInstanceDiscovery: true,
      },
    )
    const tokens = []
    for (const [scope, audience] of RESOURCES) {
      const { token } = await credential.getToken(scope)
      expect(decodeJwt(token).aud).toBe(audience)
      tokens.push(token)
    }
    await readAndWrite(tokens[0]!)
  })
})
