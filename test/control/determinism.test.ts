import { expect, it } from 'vitest'

import { buildTestApp } from '../helpers/build-test-app.ts'
import { CONTOSO } from '../helpers/demo.ts'

it('with the same seed, request ids, token ids, new tenant ids and device codes repeat', async () => {
  const run = async () => {
    const t = await buildTestApp({ randomSeed: 7 })
    const health = await t.app.inject({ method: 'GET', url: '/_emulator/health' })
    const token = await t.mint({ user: CONTOSO.admin.upn })
    const tenant = (
      await t.app.inject({ method: 'POST', url: '/_emulator/tenants', payload: { template: 'fabrikam' } })
    ).json()
    return {
      requestId: health.headers['x-ms-request-id'],
      token,
      tenantId: tenant.tenantId,
      users: tenant.users,
    }
  }
  const [a, b] = [await run(), await run()]
  expect(a).toEqual(b)
  const other = await buildTestApp({ randomSeed: 8 })
  expect(
    (await other.app.inject({ method: 'GET', url: '/_emulator/health' })).headers['x-ms-request-id'],
  ).not.toBe(a.requestId)
})
