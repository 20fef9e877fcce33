import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { request as httpRequest } from 'node:http'
import { get as httpsGet, type RequestOptions } from 'node:https'
import { X509Certificate } from 'node:crypto'
import { connect as tlsConnect } from 'node:tls'
import { join } from 'node:path'

import { ConfidentialClientApplication, type INetworkModule, type NetworkResponse } from '@azure/msal-node'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { Agent, ProxyAgent, request as undiciRequest } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { buildApp } from '../../server/app.ts'
import { listen, type Listening } from '../../server/listen.ts'
import { createCertificate } from '../../server/tls/certificates.ts'
import { captureLogs } from '../helpers/logs.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'
import { mintOverHttp } from '../helpers/tokens.ts'

const dataDir = process.env['EMULATOR_TEST_DATA_DIR']!
const caPem = readFileSync(join(dataDir, 'ca', 'ca.pem'), 'utf8')
const FLOW = 'https://api.flow.microsoft.com'
const GRAPH = 'https://graph.microsoft.com'
const LOGIN = 'https://login.microsoftonline.com'
const SECRET = 'contoso-automation-secret'

let listening: Listening
let logs: ReturnType<typeof captureLogs>
/** undici's ProxyAgent, trusting only the emulator's CA for the tunneled TLS. */
let agent: ProxyAgent
let base: string

beforeAll(async () => {
  logs = captureLogs()
  const app = await buildApp({ db: ':memory:', logLevel: 'info', logStream: logs.logStream })
  listening = await listen(app, { host: '127.0.0.1', port: 0, httpsPort: 'off', dataDir, proxyPort: 0 })
  base = listening.httpUrl
  agent = new ProxyAgent({ uri: listening.proxyUrl!, requestTls: { ca: caPem } })
})
afterAll(async () => {
  await agent?.close()
  await listening?.close()
})

async function viaProxy(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  const res = await undiciRequest(url, {
    dispatcher: agent,
    method: (init.method ?? 'GET') as 'GET',
    headers: init.headers ?? {},
    ...(init.body !== undefined ? { body: init.body } : {}),
  })
  const text = await res.body.text()
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) }
}

const mint = (body: Record<string, unknown>) => mintOverHttp(base, body)

describe('the HTTPS proxy (--proxy-port)', () => {
  it('is printed as a URL and serves the emulated hosts with certificates from the local CA', async () => {
    expect(listening.proxyUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const overview = (await (await fetch(`${base}/_emulator/overview`)).json()) as {
      endpoints: { proxyUrl: string }
    }
    expect(overview.endpoints.proxyUrl).toBe(listening.proxyUrl)
    // A raw CONNECT, then TLS: the leaf certificate names the host and is issued by the emulator's CA.
    const proxy = new URL(listening.proxyUrl!)
    const peer = await new Promise<X509Certificate>((resolve, reject) => {
      const req = httpRequest({
        host: proxy.hostname,
        port: proxy.port,
        method: 'CONNECT',
        path: 'graph.microsoft.com:443',
      })
      req.on('connect', (res, socket) => {
        expect(res.statusCode).toBe(200)
        const tls = tlsConnect({ socket, servername: 'graph.microsoft.com', ca: caPem }, () => {
          resolve(new X509Certificate(tls.getPeerCertificate(true).raw))
          tls.end()
        })
        tls.on('error', reject)
      })
      req.on('error', reject)
      req.end()
    })
    expect(peer.subject).toContain('CN=graph.microsoft.com')
    expect(peer.subjectAltName).toBe('DNS:graph.microsoft.com')
    expect(peer.verify(new X509Certificate(caPem).publicKey)).toBe(true)
  })

  it('undici ProxyAgent: the Flow API, Graph and the token endpoint on their real URLs', async () => {
    // The token endpoint at login.microsoftonline.com, as a client with a hard-coded authority calls it.
    const tokenRes = await viaProxy(`${LOGIN}/${CONTOSO.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: CONTOSO.automationApp.clientId,
        client_secret: SECRET,
        scope: 'https://service.flow.microsoft.com//.default',
      }).toString(),
    })
    expect(tokenRes.status).toBe(200)
    const appToken = tokenRes.json().access_token as string

    const flows = await viaProxy(`${FLOW}${ADMIN}/environments/~default/v2/flows?${API}`, {
      headers: { authorization: `Bearer ${appToken}` },
    })
    expect(flows.status).toBe(200)
    expect(flows.json().value.map((f: { name: string }) => f.name)).toContain(CONTOSO.flows.invoiceApproval)
    expect(flows.headers['x-ms-request-id']).toEqual(expect.any(String))

    // The CLI for M365 asks for ARM tokens for api.flow.microsoft.com; management.azure.com serves the same paths.
    const armToken = await mint({ user: CONTOSO.admin.upn, audience: 'https://management.azure.com/' })
    const perms = await viaProxy(
      `https://management.azure.com${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/permissions?${API}`,
      {
        headers: { authorization: `Bearer ${armToken}` },
      },
    )
    expect(perms.status).toBe(200)
    // az login reads ARM's tenant and subscription lists right after its token.
    for (const path of ['/tenants', '/subscriptions']) {
      const res = await viaProxy(`https://management.azure.com${path}?api-version=2022-12-01`, {
        headers: { authorization: `Bearer ${armToken}` },
      })
      expect(res.status, path).toBe(200)
    }
    // User realm discovery passes through for both sign-in hosts.
    for (const host of [LOGIN, 'https://login.windows.net']) {
      const realm = await viaProxy(`${host}/common/userrealm/${CONTOSO.admin.upn}?api-version=1.0`)
      expect(realm.json()).toMatchObject({ account_type: 'Managed', domain_name: 'contoso.onmicrosoft.com' })
    }

    const graphToken = await mint({ user: CONTOSO.admin.upn, audience: GRAPH })
    const user = await viaProxy(`${GRAPH}/v1.0/users/${CONTOSO.maker.upn}`, {
      headers: { authorization: `Bearer ${graphToken}` },
    })
    expect(user.status).toBe(200)
    expect(user.json()).toMatchObject({ id: CONTOSO.maker.id, userPrincipalName: CONTOSO.maker.upn })
  })

  it('HTTPS_PROXY with an axios-style agent (https-proxy-agent over node:https)', async () => {
    const previous = process.env['HTTPS_PROXY']
    process.env['HTTPS_PROXY'] = listening.proxyUrl
    try {
      const proxyAgent = new HttpsProxyAgent(process.env['HTTPS_PROXY']!, { ca: caPem })
      const token = await mint({ user: CONTOSO.admin.upn, audience: 'https://management.azure.com/' })
      const res = await httpsJson(
        `${FLOW}${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}?${API}`,
        {
          agent: proxyAgent,
          ca: caPem,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json;odata.metadata=none' },
        },
      )
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({
        name: CONTOSO.flows.invoiceApproval,
        properties: { displayName: 'Invoice approval' },
      })
      const graphToken = await mint({ user: CONTOSO.admin.upn, audience: GRAPH })
      const me = await httpsJson(`${GRAPH}/v1.0/me`, {
        agent: proxyAgent,
        ca: caPem,
        headers: { authorization: `Bearer ${graphToken}` },
      })
      expect(me.status).toBe(200)
      expect(me.body).toMatchObject({ userPrincipalName: CONTOSO.admin.upn })
      proxyAgent.destroy()
    } finally {
      if (previous === undefined) delete process.env['HTTPS_PROXY']
      else process.env['HTTPS_PROXY'] = previous
    }
  })

  it('refuses any other host with a 502 and a log line naming it: nothing reaches the internet', async () => {
    await expect(viaProxy('https://example.com/')).rejects.toThrow(/502/)
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        component: 'proxy',
        host: 'example.com',
        msg: 'proxy refused CONNECT example.com:443',
      }),
    )
    // A plain forward-proxy request is refused too.
    const proxy = new URL(listening.proxyUrl!)
    const plain = await fetch(`http://${proxy.host}/`, { headers: { host: 'example.com' } })
    expect(plain.status).toBe(502)
    expect(((await plain.json()) as { error: { code: string } }).error.code).toBe('ProxyRefused')
  })

  it('refuses a path of an emulated host that the emulator does not serve', async () => {
    for (const url of [
      `${FLOW}/providers/Microsoft.Other/x`,
      `${GRAPH}/v1.0/applications`,
      `${GRAPH}/beta/me`,
      `${FLOW}/openapi.json`,
      // Encoded forms of paths it does not serve: decided on as the router decodes them.
      `${LOGIN}/%6fpenapi.json`,
      `${LOGIN}/%5Femulator/state`,
      `${LOGIN}/%5femulator/reset`,
      `${LOGIN}/common%2F..%2F_emulator/state`,
      `${LOGIN}/%252Femulator/state`,
      'https://management.azure.com/subscriptions/x/resourceGroups?api-version=2022-12-01',
      'https://management.azure.com/providers/Microsoft.Compute/operations?api-version=2022-12-01',
    ]) {
      const res = await viaProxy(url)
      expect(res.status, url).toBe(502)
      expect(res.json()).toEqual({
        error: { code: 'ProxyRefused', message: expect.stringContaining(url.split('?')[0]!) },
      })
    }
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        component: 'proxy',
        host: 'graph.microsoft.com',
        path: '/v1.0/applications',
      }),
    )
  })

  it('odd methods and undecodable paths through a tunnel get an answer, and the proxy goes on', async () => {
    const token = await mint({ user: CONTOSO.admin.upn })
    for (const [method, url] of [
      ['GET', `${FLOW}/providers/Microsoft.ProcessSimple/scopes/admin/environments/%E0%A4%A/flows`],
      ['PURGE', `${FLOW}${ADMIN}/environments/~default/flows?${API}`],
      ['GET', `${FLOW}/providers/Microsoft.ProcessSimple/../../_emulator/reset`],
      ['DELETE', `${GRAPH}/v1.0/users/${CONTOSO.maker.id}`],
    ] as const) {
      const res = await viaProxy(url, { method, headers: { authorization: `Bearer ${token}` } })
      expect(res.status, `${method} ${url}`).toBeGreaterThanOrEqual(400)
      expect(res.status, `${method} ${url}`).toBeLessThan(600)
      expect(res.status).not.toBe(500)
    }
    const after = await viaProxy(`${FLOW}${ADMIN}/environments/~default/flows?${API}`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(after.status).toBe(200)
  })

  it('never lets a proxied request reach /_emulator: a reset through the proxy is refused and changes nothing', async () => {
    const token = await mint({ user: CONTOSO.admin.upn })
    const stop = await fetch(
      `${base}${ADMIN}/environments/~default/flows/${CONTOSO.flows.heartbeat}/stop?${API}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      },
    )
    expect(stop.status).toBe(200)
    for (const host of [FLOW, LOGIN, GRAPH, 'https://management.azure.com']) {
      const res = await viaProxy(`${host}/_emulator/reset`, { method: 'POST' })
      expect(res.status, host).toBe(502)
    }
    const flow = await fetch(
      `${base}${ADMIN}/environments/~default/flows/${CONTOSO.flows.heartbeat}?${API}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    )
    expect(((await flow.json()) as { properties: { state: string } }).properties.state).toBe('Stopped')
  })

  it('journals proxied requests with the host they were addressed to', async () => {
    const token = await mint({ user: CONTOSO.admin.upn })
    await viaProxy(`${FLOW}${ADMIN}/environments/~default/flows/${CONTOSO.flows.weeklyDigest}?${API}`, {
      headers: { authorization: `Bearer ${token}` },
    })
    const journal = (await (
      await fetch(`${base}/_emulator/requests?operationId=Get-AdminFlow&limit=1`)
    ).json()) as {
      value: { host: string; path: string }[]
    }
    expect(journal.value[0]).toMatchObject({
      host: 'api.flow.microsoft.com',
      path: expect.stringContaining(CONTOSO.flows.weeklyDigest),
    })
  })

  it('MSAL with its default authority login.microsoftonline.com/{tenant} (no knownAuthorities) gets a token through the proxy', async () => {
    await fetch(`${base}/_emulator/requests`, { method: 'DELETE' })
    const cca = new ConfidentialClientApplication({
      auth: {
        clientId: CONTOSO.automationApp.clientId,
        authority: `${LOGIN}/${CONTOSO.tenantId}`,
        clientSecret: SECRET,
      },
      system: { networkClient: undiciNetworkClient(agent) },
    })
    const result = await cca.acquireTokenByClientCredential({
      scopes: ['https://service.flow.microsoft.com//.default'],
    })
    expect(result?.accessToken).toEqual(expect.any(String))
    const flows = await viaProxy(`${FLOW}${ADMIN}/environments/~default/flows?${API}`, {
      headers: { authorization: `Bearer ${result!.accessToken}` },
    })
    expect(flows.status).toBe(200)
    const journal = (await (await fetch(`${base}/_emulator/requests`)).json()) as {
      value: { host: string; status: number; operationId: string }[]
    }
    // MSAL 7 carries the public cloud's instance and endpoint metadata built in, so for this
    // authority it goes straight to the token endpoint; the discovery MSAL would fetch is below.
    expect(journal.value.filter((e) => e.host === 'login.microsoftonline.com')).toEqual([
      expect.objectContaining({ operationId: 'Entra-TokenV2', status: 200 }),
    ])
  })

  it('instance discovery and OpenID configuration on login.microsoftonline.com answer as Microsoft does', async () => {
    const authorize = `${LOGIN}/${CONTOSO.tenantId}/oauth2/v2.0/authorize`
    const instance = await viaProxy(
      `${LOGIN}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(authorize)}`,
    )
    expect(instance.status).toBe(200)
    expect(instance.json()).toEqual({
      tenant_discovery_endpoint: `${LOGIN}/{tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [
        {
          preferred_network: 'login.microsoftonline.com',
          preferred_cache: 'login.windows.net',
          aliases: [
            'login.microsoftonline.com',
            'login.windows.net',
            'login.microsoft.com',
            'sts.windows.net',
          ],
        },
      ],
    })
    const config = await viaProxy(`${LOGIN}/${CONTOSO.tenantId}/v2.0/.well-known/openid-configuration`)
    expect(config.status).toBe(200)
    expect(config.json()).toMatchObject({
      token_endpoint: `${LOGIN}/${CONTOSO.tenantId}/oauth2/v2.0/token`,
      issuer: `${LOGIN}/${CONTOSO.tenantId}/v2.0`,
    })
    const keys = await viaProxy(`https://login.windows.net/${CONTOSO.tenantId}/discovery/v2.0/keys`)
    expect(keys.status).toBe(200)
    expect(keys.json().keys.length).toBeGreaterThan(0)
  })
})

/** MSAL's network client over undici with a dispatcher: how an app routes MSAL through a proxy. */
function undiciNetworkClient(dispatcher: ProxyAgent): INetworkModule {
  const send = async <T>(
    url: string,
    method: 'GET' | 'POST',
    options?: { headers?: Record<string, string>; body?: string },
  ): Promise<NetworkResponse<T>> => {
    const res = await undiciRequest(url, {
      dispatcher,
      method,
      headers: options?.headers ?? {},
      ...(options?.body ? { body: options.body } : {}),
    })
    const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]))
    return { headers, body: (await res.body.json()) as T, status: res.statusCode }
  }
  return {
    sendGetRequestAsync: (url, options) => send(url, 'GET', options),
    sendPostRequestAsync: (url, options) => send(url, 'POST', options),
  }
}

function httpsJson(url: string, options: RequestOptions): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    httpsGet(url, options, (res) => {
      let text = ''
      res.on('data', (chunk: Buffer) => (text += chunk.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }))
    }).on('error', reject)
  })
}

describe('bringing your own CA (--ca-cert, --ca-key)', () => {
  it('issues the proxy certificates and the HTTPS listener certificate from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paae-own-ca-'))
    const ca = createCertificate({
      commonName: 'My team CA',
      notBefore: new Date(),
      validDays: 30,
      isCa: true,
    })
    writeFileSync(join(dir, 'ca.pem'), ca.certificatePem)
    writeFileSync(join(dir, 'ca-key.pem'), ca.privateKeyPem)
    const app = await buildApp({ db: ':memory:', logLevel: 'silent' })
    const own = await listen(app, {
      host: '127.0.0.1',
      port: 0,
      httpsPort: 0,
      dataDir: dir,
      proxyPort: 0,
      caCert: join(dir, 'ca.pem'),
      caKey: join(dir, 'ca-key.pem'),
    })
    try {
      expect(own.caCertificatePath).toBe(join(dir, 'ca.pem'))
      const ownAgent = new ProxyAgent({ uri: own.proxyUrl!, requestTls: { ca: ca.certificatePem } })
      const res = await undiciRequest(`${LOGIN}/${CONTOSO.tenantId}/v2.0/.well-known/openid-configuration`, {
        dispatcher: ownAgent,
      })
      expect(res.statusCode).toBe(200)
      await res.body.dump()
      await ownAgent.close()
      const https = await undiciRequest(`${own.httpsUrl!}/_emulator/health`, {
        dispatcher: new Agent({ connect: { ca: ca.certificatePem } }),
      })
      expect(https.statusCode).toBe(200)
      await https.body.dump()
      // The emulator's own CA did not sign it: a client trusting only that one refuses.
      await expect(
        undiciRequest(`${own.httpsUrl!}/_emulator/health`, {
          dispatcher: new Agent({ connect: { ca: caPem } }),
        }),
      ).rejects.toThrow(/certificate/)
    } finally {
      await own.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it.each([
    ['a certificate that is not a CA', 'leaf', /is not a CA certificate/],
    ['a key that is not the certificate key', 'wrong-key', /is not the key of --ca-cert/],
  ])('refuses %s at start-up', async (_name, kind, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'paae-bad-ca-'))
    const ca = createCertificate({ commonName: 'CA', notBefore: new Date(), validDays: 30, isCa: true })
    const other = createCertificate({
      commonName: 'other',
      notBefore: new Date(),
      validDays: 30,
      isCa: kind !== 'leaf',
    })
    writeFileSync(join(dir, 'cert.pem'), kind === 'leaf' ? other.certificatePem : ca.certificatePem)
    writeFileSync(join(dir, 'key.pem'), kind === 'leaf' ? other.privateKeyPem : other.privateKeyPem)
    const app = await buildApp({ db: ':memory:', logLevel: 'silent' })
    try {
      await expect(
        listen(app, {
          host: '127.0.0.1',
          port: 0,
          httpsPort: 'off',
          dataDir: dir,
          proxyPort: 0,
          caCert: join(dir, 'cert.pem'),
          caKey: join(dir, 'key.pem'),
        }),
      ).rejects.toThrow(message)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
