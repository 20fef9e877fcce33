import { describe, expect, it } from 'vitest'

import { buildTestApp } from '../helpers/build-test-app.ts'
import { CONTOSO, FABRIKAM } from '../helpers/demo.ts'

describe('the addresses a person types', () => {
  it.each(['/', '/_emulator', '/_emulator/', '/_emulator/ui/'])(
    '%s redirects to the dashboard',
    async (url) => {
      const { app } = await buildTestApp()
      const res = await app.inject({ method: 'GET', url })
      expect(res.statusCode).toBe(302)
      expect(res.headers['location']).toBe('/_emulator/ui')
    },
  )

  it("keeps the query, so the dashboard's ?key= goes along", async () => {
    const { app } = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: '/?key=abc' })
    expect(res.headers['location']).toBe('/_emulator/ui?key=abc')
  })

  it('keeps the control-plane access rule: a refused client is refused on /_emulator/ too', async () => {
    const { app } = await buildTestApp({ controlKey: 'a-control-key-of-16+' })
    const res = await app.inject({ method: 'GET', url: '/_emulator/' })
    expect(res.statusCode).toBe(403)
    expect(res.json<{ error: { code: string } }>().error.code).toBe('ControlPlaneForbidden')
  })
})

describe('GET /_emulator/tenants', () => {
  it('lists the seeded tenants, and a tenant made for a test', async () => {
    const { app } = await buildTestApp()
    const before = await app.inject({ method: 'GET', url: '/_emulator/tenants' })
    expect(before.statusCode).toBe(200)
    const ids = before.json<{ value: { id: string }[] }>().value.map((t) => t.id)
    expect(ids).toEqual(expect.arrayContaining([CONTOSO.tenantId, FABRIKAM.tenantId]))
    expect(before.json<{ value: unknown[] }>().value).toContainEqual({
      id: CONTOSO.tenantId,
      name: 'contoso',
      domain: CONTOSO.domain,
      displayName: expect.any(String),
    })
    const created = await app.inject({
      method: 'POST',
      url: '/_emulator/tenants',
      payload: { template: 'contoso' },
    })
    expect(created.statusCode).toBe(201)
    const after = (await app.inject({ method: 'GET', url: '/_emulator/tenants' })).json<{
      value: { id: string; domain: string }[]
    }>()
    expect(after.value).toHaveLength(ids.length + 1)
    expect(after.value.map((t) => t.id)).toContain(created.json<{ tenantId: string }>().tenantId)
  })
})
