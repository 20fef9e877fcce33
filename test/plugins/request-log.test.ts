import { expect, it } from 'vitest'

import { captureLogs } from '../helpers/logs.ts'

import { buildTestApp } from '../helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'

it('writes one log line per request with both ids, the caller and the status, and never the token', async () => {
  const { logStream, lines } = captureLogs()
  const t = await buildTestApp({ logLevel: 'info', logStream })
  const token = await t.mint({ user: CONTOSO.admin.upn })
  lines.length = 0
  const res = await t.as(token, {
    method: 'POST',
    url: `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/stop?${API}`,
    headers: { 'x-ms-correlation-request-id': '0f8fad5b-d9cb-469f-a165-70867728950e' },
  })
  expect(res.statusCode).toBe(200)
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatchObject({
    level: 30,
    msg: 'request completed',
    reqId: res.headers['x-ms-request-id'],
    correlationId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    method: 'POST',
    statusCode: 200,
    tenantId: CONTOSO.tenantId,
    principalId: CONTOSO.admin.id,
  })
  expect(JSON.stringify(lines)).not.toContain(token.split('.')[2])
})
