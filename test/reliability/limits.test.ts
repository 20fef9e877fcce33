import { request as httpRequest } from 'node:http'

import { describe, expect, it } from 'vitest'

import { BODY_LIMIT_BYTES, buildApp } from '../../server/app.ts'
import { DOCUMENT_BODY_LIMIT } from '../../server/control/schemas.ts'
import { listen } from '../../server/listen.ts'
import { MAX_PERMISSION_CHANGES } from '../../schemas/permission.ts'
import { expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp } from '../helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO, generatedPrincipal, putUser } from '../helpers/demo.ts'

const modifyUrl = `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/modifyPermissions?${API}`
const put = (i: number) => putUser(generatedPrincipal(i))

describe('limits, each enforced with a clear error', () => {
  it(`a body over ${BODY_LIMIT_BYTES} bytes: 413`, async () => {
    const t = await buildTestApp()
    const token = await t.mint({ user: CONTOSO.admin.upn })
    const res = await t.as(token, {
      method: 'POST',
      url: modifyUrl,
      headers: { 'content-type': 'application/json' },
      payload: `{"put":[],"pad":"${'x'.repeat(BODY_LIMIT_BYTES)}"}`,
    })
    expectServiceError(res, { status: 413, code: 'RequestEntityTooLarge' })
  })

  it(`more than ${MAX_PERMISSION_CHANGES} put or delete entries in one modifyPermissions: 400, nothing changed`, async () => {
    const t = await buildTestApp()
    const token = await t.mint({ user: CONTOSO.admin.upn })
    const atLimit = await t.as(token, {
      method: 'POST',
      url: modifyUrl,
      payload: { put: Array.from({ length: MAX_PERMISSION_CHANGES }, (_, i) => put(i)) },
    })
    expect(atLimit.statusCode, atLimit.body).toBe(200)
    for (const body of [
      { put: Array.from({ length: MAX_PERMISSION_CHANGES + 1 }, (_, i) => put(i + 1000)) },
      {
        delete: Array.from({ length: MAX_PERMISSION_CHANGES + 1 }, (_, i) => ({
          id: put(i).properties.principal.id,
        })),
      },
    ]) {
      expectServiceError(await t.as(token, { method: 'POST', url: modifyUrl, payload: body }), {
        status: 400,
        code: 'InvalidRequestContent',
        message: new RegExp(`must NOT have more than ${MAX_PERMISSION_CHANGES} items`),
      })
    }
    const list = await t.as(token, {
      method: 'GET',
      url: `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/permissions?${API}`,
    })
    expect(list.json().value).toHaveLength(3 + MAX_PERMISSION_CHANGES)
  })

  it(`a state or fixture document over ${DOCUMENT_BODY_LIMIT / 1024 / 1024} MiB: 413, the state unchanged`, async () => {
    const t = await buildTestApp()
    for (const method of ['PUT', 'PATCH'] as const) {
      const res = await t.app.inject({
        method,
        url: '/_emulator/state',
        headers: { 'content-type': 'application/json' },
        payload: `{"tenants":[],"pad":"${'x'.repeat(DOCUMENT_BODY_LIMIT)}"}`,
      })
      expectServiceError(res, { status: 413, code: 'RequestEntityTooLarge' })
    }
    expect(t.app.repos.tenants.list()).toHaveLength(2)
  })

  it('headers over 16 KiB: 431 in the envelope, on a real socket, and the emulator goes on', async () => {
    const app = await buildApp({ db: ':memory:', logLevel: 'silent' })
    const listening = await listen(app, { host: '127.0.0.1', port: 0, httpsPort: 'off', dataDir: '' })
    try {
      const { port } = new URL(listening.httpUrl)
      const res = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port, path: '/_emulator/health', headers: { 'x-big': 'y'.repeat(20_000) } },
          (r) => {
            let body = ''
            r.on('data', (c: Buffer) => (body += c.toString()))
            r.on('end', () =>
              resolve({ status: r.statusCode ?? 0, type: String(r.headers['content-type']), body }),
            )
          },
        )
        req.on('error', reject)
        req.end()
      })
      expect(res.status).toBe(431)
      expect(res.type).toBe('application/json; charset=utf-8')
      expect(JSON.parse(res.body)).toEqual({
        error: {
          code: 'RequestHeaderFieldsTooLarge',
          message: 'The request headers are larger than 16 KiB.',
        },
      })
      expect((await fetch(`${listening.httpUrl}/_emulator/health`)).status).toBe(200)
    } finally {
      await listening.close()
    }
  })

  it('path segments over 1 KiB and long query values are refused or bounded, never a 5xx', async () => {
    const t = await buildTestApp()
    const token = await t.mint({ user: CONTOSO.admin.upn })
    const long = 'f'.repeat(2000)
    const res = await t.as(token, {
      method: 'GET',
      url: `${ADMIN}/environments/~default/flows/${long}?${API}`,
    })
    expect(res.statusCode).toBeGreaterThanOrEqual(400)
    expect(res.statusCode).toBeLessThan(500)
    const skip = await t.as(token, {
      method: 'GET',
      url: `${ADMIN}/environments/~default/flows?${API}&$skiptoken=${'A'.repeat(600)}`,
    })
    expectServiceError(skip, { status: 400, code: 'InvalidRequestContent' })
  })
})
