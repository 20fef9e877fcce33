import { request as httpRequest } from 'node:http'

import { describe, expect, it, onTestFinished } from 'vitest'

import { buildApp } from '../../server/app.ts'
import { listen } from '../../server/listen.ts'
import { expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp } from '../helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'

const EVIL = 'evil.example:7070'
const FLAG = /--allowed-hosts \(PAAE_ALLOWED_HOSTS\)/

describe('the Host allow-list (DNS rebinding)', () => {
  it('refuses the one-line rebinding reset: Host and Origin both the attacker, 403 before anything runs', async () => {
    const { app } = await buildTestApp()
    const res = await app.inject({
      method: 'POST',
      url: '/_emulator/reset',
      headers: { host: EVIL, origin: `http://${EVIL}` },
    })
    expectServiceError(res, { status: 403, code: 'HostNotAllowed', message: FLAG })
    expect(res.json<{ error: { message: string } }>().error.message).toContain(`'${EVIL}'`)
  })

  it.each([
    ['GET', '/_emulator/state'],
    ['POST', '/_emulator/tokens'],
    ['GET', `${ADMIN}/environments/~default/flows?${API}`],
    ['GET', `/apim/microsoftflowforadmins/c1${ADMIN}/environments/~default/flows?${API}`],
    ['GET', '/no/such/route'],
    ['GET', '/openapi.json'],
  ])('answers %s %s from another Host with 403 in the service envelope', async (method, url) => {
    const { app } = await buildTestApp()
    const res = await app.inject({ method: method as 'GET', url, headers: { host: EVIL } })
    expectServiceError(res, { status: 403, code: 'HostNotAllowed', message: FLAG })
  })

  it("answers Entra's endpoints in Entra's envelope", async () => {
    const { app } = await buildTestApp()
    const res = await app.inject({
      method: 'POST',
      url: `/${CONTOSO.tenantId}/oauth2/v2.0/token`,
      headers: { host: EVIL },
      payload: 'grant_type=password',
    })
    expect(res.statusCode).toBe(403)
    const body = res.json<{ error: string; error_codes: number[]; error_description: string }>()
    expect(body.error).toBe('invalid_request')
    expect(body.error_codes).toEqual([9999999])
    expect(body.error_description).toMatch(/^AADSTS9999999: The Host 'evil\.example:7070'/)
    expect(body.error_description).toMatch(FLAG)
  })

  it("answers Graph in Graph's envelope", async () => {
    const { app } = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: '/v1.0/me', headers: { host: EVIL } })
    expect(res.statusCode).toBe(403)
    const body = res.json<{ error: { code: string; message: string; innerError: object } }>()
    expect(body.error.code).toBe('HostNotAllowed')
    expect(body.error.message).toMatch(FLAG)
    expect(body.error.innerError).toBeDefined()
  })

  it('refuses an Origin that is not on the list, even with a loopback Host', async () => {
    const t = await buildTestApp()
    const { app } = t
    const token = await t.mint({ user: CONTOSO.admin.upn })
    const res = await app.inject({
      method: 'POST',
      url: `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/stop?${API}`,
      headers: { host: 'localhost:7070', origin: 'http://evil.example', authorization: `Bearer ${token}` },
    })
    expectServiceError(res, {
      status: 403,
      code: 'HostNotAllowed',
      message: /The Origin 'http:\/\/evil\.example'/,
    })
  })

  it('answers loopback names, --host and --allowed-hosts entries', async () => {
    const { app } = await buildTestApp({
      listenHost: '10.1.2.3',
      allowedHosts: [
        { host: 'emulator', port: undefined },
        { host: 'demo.internal', port: 7070 },
      ],
    })
    for (const host of [
      'localhost:7070',
      '127.0.0.1',
      '[::1]:7070',
      '10.1.2.3:7070',
      'emulator:9',
      'demo.internal:7070',
    ]) {
      const res = await app.inject({ method: 'GET', url: '/_emulator/health', headers: { host } })
      expect(res.statusCode, host).toBe(200)
    }
    const wrongPort = await app.inject({
      method: 'GET',
      url: '/_emulator/health',
      headers: { host: 'demo.internal:8080' },
    })
    expectServiceError(wrongPort, { status: 403, code: 'HostNotAllowed' })
    // A page of another local server may call the API (the control plane keeps to its own origin).
    const localPage = await app.inject({
      method: 'GET',
      url: '/openapi.json',
      headers: { host: 'localhost:7070', origin: 'http://localhost:3000' },
    })
    expect(localPage.statusCode).toBe(200)
  })

  it("refuses control calls a browser marks cross-site, GETs included; the API's are not refused for it", async () => {
    const t = await buildTestApp()
    const { app } = t
    const control = await app.inject({
      method: 'GET',
      url: '/_emulator/state',
      headers: { 'sec-fetch-site': 'cross-site' },
    })
    expectServiceError(control, { status: 403, code: 'ControlPlaneForbidden', message: /Sec-Fetch-Site/ })
    const token = await t.mint({ user: CONTOSO.admin.upn })
    const api = await app.inject({
      method: 'GET',
      url: `${ADMIN}/environments/~default/flows?${API}`,
      headers: { 'sec-fetch-site': 'cross-site', authorization: `Bearer ${token}` },
    })
    expect(api.statusCode).toBe(200)
  })

  it('checks the port of loopback names against the listener the request came to', async () => {
    const app = await buildApp({ db: ':memory:', logLevel: 'silent' })
    const listening = await listen(app, {
      host: '127.0.0.1',
      port: 0,
      httpsPort: 'off',
      dataDir: process.env['EMULATOR_TEST_DATA_DIR']!,
    })
    onTestFinished(() => listening.close())
    const port = Number(new URL(listening.httpUrl).port)
    const get = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port, path: '/_emulator/health', headers: { host } },
          (res) => {
            res.resume()
            resolve(res.statusCode ?? 0)
          },
        )
        req.on('error', reject)
        req.end()
      })
    expect(await get(`127.0.0.1:${port}`)).toBe(200)
    expect(await get(`localhost:${port}`)).toBe(200)
    expect(await get(`localhost:${port === 65535 ? 1 : port + 1}`)).toBe(403)
    expect(await get(`evil.example:${port}`)).toBe(403)
  })
})
