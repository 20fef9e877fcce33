import { describe, expect, it } from 'vitest'

import { buildTestApp } from '../helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'
import { captureLogs } from '../helpers/logs.ts'

describe("a request's own logger", () => {
  it('carries the request id and the correlation id when a request logs through it', async () => {
    const { logStream, lines } = captureLogs()
    const t = await buildTestApp({ logLevel: 'info', logStream })
    const rule = await t.app.inject({
      method: 'POST',
      url: '/_emulator/faults',
      payload: { operationId: 'Get-AdminFlow', status: 503 },
    })
    expect(rule.statusCode).toBe(201)
    const token = await t.mint({ user: CONTOSO.admin.upn })
    const correlationId = '0b3c8f5e-2f4c-4e8a-9d3c-1a2b3c4d5e6f'
    const res = await t.as(token, {
      method: 'GET',
      url: `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}?${API}`,
      headers: { 'x-ms-correlation-request-id': correlationId },
    })
    expect(res.statusCode).toBe(503)
    const fired = lines.find((l) => l['msg'] === 'fault rule fired')
    expect(fired).toMatchObject({
      reqId: res.headers['x-ms-request-id'],
      correlationId,
      faultId: rule.json<{ id: string }>().id,
    })
    // The one line per request has the same ids, and names the operation.
    expect(lines.find((l) => l['msg'] === 'request completed' && l['statusCode'] === 503)).toMatchObject({
      reqId: res.headers['x-ms-request-id'],
      correlationId,
      operation: 'Get-AdminFlow',
    })
  })

  it('redacts the Authorization header and secret fields should a line ever carry them, and keeps codes', async () => {
    const { logStream, lines } = captureLogs()
    const t = await buildTestApp({ logLevel: 'info', logStream })
    t.app.log.warn(
      {
        headers: { authorization: 'Bearer secret-token', host: 'h' },
        request: {
          headers: { authorization: 'Bearer secret-token', 'x-emulator-key': 'secret-key', host: 'h' },
        },
        form: {
          client_secret: 's1',
          client_assertion: 's2',
          password: 's3',
          refresh_token: 's4',
          device_code: 's5',
        },
        // A secret of the journal's list is one of the logs' too.
        body: { pfxBase64: 's6', code_verifier: 's7', displayName: 'kept' },
        err: { code: 'SQLITE_FULL' },
        error: { code: 'FlowNotFound' },
      },
      'probe',
    )
    expect(lines.find((l) => l['msg'] === 'probe')).toEqual(
      expect.objectContaining({
        headers: { authorization: '[redacted]', host: 'h' },
        request: { headers: { authorization: '[redacted]', 'x-emulator-key': '[redacted]', host: 'h' } },
        form: {
          client_secret: '[redacted]',
          client_assertion: '[redacted]',
          password: '[redacted]',
          refresh_token: '[redacted]',
          device_code: '[redacted]',
        },
        body: { pfxBase64: '[redacted]', code_verifier: '[redacted]', displayName: 'kept' },
        err: { code: 'SQLITE_FULL' },
        error: { code: 'FlowNotFound' },
      }),
    )
  })
})
