import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it, onTestFinished } from 'vitest'

import { buildApp } from '../server/app.ts'
import { listen, type ListenOptions } from '../server/listen.ts'
import { createCertificate } from '../server/tls/certificates.ts'
import { loadOrCreateCa } from '../server/tls/local-ca.ts'
import { ADMIN, API, CONTOSO } from './helpers/demo.ts'
import { mintOverHttp } from './helpers/tokens.ts'

const runDataDir = () => process.env['EMULATOR_TEST_DATA_DIR']!

async function start(options: Partial<ListenOptions>) {
  const app = await buildApp({ db: ':memory:', logLevel: 'silent' })
  const listening = await listen(app, {
    host: '127.0.0.1',
    port: 0,
    httpsPort: 0,
    dataDir: runDataDir(),
    ...options,
  })
  onTestFinished(() => listening.close())
  return { app, listening }
}

describe('listen', () => {
  it('serves one app on HTTP and HTTPS: a change over HTTPS shows over HTTP', async () => {
    const { listening } = await start({})
    expect(listening.caCertificatePath).toBe(join(runDataDir(), 'ca', 'ca.pem'))
    const token = await mintOverHttp(listening.httpUrl, { user: CONTOSO.admin.upn })
    const headers = { authorization: `Bearer ${token}` }
    const flow = `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}`
    expect(
      (await fetch(`${listening.httpsUrl}${flow}/stop?${API}`, { method: 'POST', headers })).status,
    ).toBe(200)
    const read = (await (await fetch(`${listening.httpUrl}${flow}?${API}`, { headers })).json()) as {
      properties: { state: string }
    }
    expect(read.properties.state).toBe('Stopped')
    // Discovery over HTTPS names HTTPS endpoints.
    const doc = (await (
      await fetch(`${listening.httpsUrl}/${CONTOSO.tenantId}/v2.0/.well-known/openid-configuration`)
    ).json()) as { token_endpoint: string }
    expect(doc.token_endpoint).toBe(`${listening.httpsUrl}/${CONTOSO.tenantId}/oauth2/v2.0/token`)
  })

  it('keeps the CA and the localhost certificate across restarts (users trust one file once)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'paae-ca-'))
    const first = await start({ dataDir })
    const ca = readFileSync(first.listening.caCertificatePath!, 'utf8')
    const leaf = readFileSync(join(dataDir, 'ca', 'localhost.pem'), 'utf8')
    await first.listening.close()
    const second = await start({ dataDir })
    expect(readFileSync(second.listening.caCertificatePath!, 'utf8')).toBe(ca)
    expect(readFileSync(join(dataDir, 'ca', 'localhost.pem'), 'utf8')).toBe(leaf)
  })

  it('uses --tls-cert and --tls-key when given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paae-tls-'))
    const ca = loadOrCreateCa(runDataDir(), new Date())
    const own = createCertificate({
      commonName: 'own',
      notBefore: new Date(),
      validDays: 2,
      issuer: ca,
      hosts: ['127.0.0.1'],
    })
    writeFileSync(join(dir, 'cert.pem'), own.certificatePem)
    writeFileSync(join(dir, 'key.pem'), own.privateKeyPem)
    const { listening } = await start({ tlsCert: join(dir, 'cert.pem'), tlsKey: join(dir, 'key.pem') })
    expect(listening.caCertificatePath).toBeUndefined()
    expect((await fetch(`${listening.httpsUrl}/openapi.json`)).status).toBe(200)
  })

  it('serves HTTP only with --https-port off', async () => {
    const { listening } = await start({ httpsPort: 'off' })
    expect(listening.httpsUrl).toBeUndefined()
    expect((await fetch(`${listening.httpUrl}/openapi.json`)).status).toBe(200)
  })
})
