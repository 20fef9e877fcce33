import { describe, expect, it } from 'vitest'

import { expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp } from '../helpers/build-test-app.ts'
import { FIRST_PARTY, viaConnector } from '../helpers/connector.ts'
import { ADMIN, API, CONTOSO, FABRIKAM } from '../helpers/demo.ts'

const stopUrl = `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/stop?${API}`

async function setup(options: Parameters<typeof buildTestApp>[0] = {}) {
  const t = await buildTestApp(options)
  const token = await t.mint({ user: CONTOSO.admin.upn })
  const addFault = async (rule: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: '/_emulator/faults', payload: rule })
    expect(res.statusCode, res.body).toBe(201)
    return res.json<{ id: string }>()
  }
  const stop = () => t.as(token, { method: 'POST', url: stopUrl })
  return { ...t, token, addFault, stop }
}

describe('fault injection', () => {
  it('a times:2 rule answers twice instead of the handler, then stops', async () => {
    const t = await setup()
    const rule = await t.addFault({
      operationId: 'Disable-AdminFlow',
      status: 500,
      body: { error: { code: 'Boom', message: 'Injected' } },
      headers: { 'x-fault': 'yes' },
      times: 2,
    })
    expect(rule).toMatchObject({
      id: expect.any(String),
      operationId: 'Disable-AdminFlow',
      times: 2,
      fired: 0,
    })
    for (let i = 0; i < 2; i++) {
      const res = await t.stop()
      expectServiceError(res, { status: 500, code: 'Boom', message: 'Injected' })
      expect(res.headers['x-fault']).toBe('yes')
    }
    expect((await t.stop()).statusCode).toBe(200)
    expect((await t.app.inject({ method: 'GET', url: '/_emulator/faults' })).json().value).toEqual([])
  })

  it('a probability rule repeats exactly with the same seed', async () => {
    const run = async () => {
      const t = await setup({ randomSeed: 42 })
      await t.addFault({ path: `${ADMIN}/**`, status: 503, probability: 0.5 })
      const statuses: number[] = []
      for (let i = 0; i < 20; i++) statuses.push((await t.stop()).statusCode)
      return statuses
    }
    const first = await run()
    expect(new Set(first)).toEqual(new Set([200, 503]))
    expect(await run()).toEqual(first)
  })

  it('presets: the gateway throttle and an outage, with Retry-After', async () => {
    const t = await setup()
    await t.addFault({ preset: 'throttle', connection: FIRST_PARTY, times: 1 })
    const throttled = await t.as(t.token, {
      method: 'GET',
      url: viaConnector(FIRST_PARTY, `/users/${CONTOSO.analyst.id}`),
    })
    expect(throttled.statusCode).toBe(429)
    expect(throttled.headers['retry-after']).toBe('10')
    expect(throttled.json()).toEqual({
      statusCode: 429,
      message: 'Rate limit is exceeded. Try again in 10 seconds.',
    })
    await t.addFault({ preset: 'unavailable', method: 'POST', times: 1 })
    const down = await t.stop()
    expectServiceError(down, { status: 503, code: 'ServiceUnavailable' })
    expect(down.headers['retry-after']).toBe('10')
  })

  it('matches on tenant and path glob; delays; deletes one rule or all', async () => {
    const t = await setup()
    const fabrikamOnly = await t.addFault({ tenant: FABRIKAM.tenantId, status: 418 })
    expect((await t.stop()).statusCode).toBe(200)
    const glob = await t.addFault({
      path: '/providers/*/scopes/admin/environments/*/flows/*/stop',
      delayMs: 150,
      times: 1,
    })
    const started = Date.now()
    expect((await t.stop()).statusCode).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/_emulator/faults/${fabrikamOnly.id}` })).statusCode,
    ).toBe(204)
    expectServiceError(await t.app.inject({ method: 'DELETE', url: `/_emulator/faults/${glob.id}` }), {
      status: 404,
      code: 'FaultNotFound',
    })
    await t.addFault({ status: 500 })
    expect((await t.app.inject({ method: 'DELETE', url: '/_emulator/faults' })).statusCode).toBe(204)
    expect((await t.stop()).statusCode).toBe(200)
  })

  it('drops the connection', async () => {
    const t = await setup()
    await t.addFault({ operationId: 'Disable-AdminFlow', dropConnection: true })
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = t.app.server.address() as { port: number }
    await expect(
      fetch(`http://127.0.0.1:${port}${stopUrl}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.token}` },
      }),
    ).rejects.toThrow()
  })

  it.each([
    ['an unknown field', { status: 500, statusCode: 500 }],
    ['no action', { operationId: 'Disable-AdminFlow' }],
    ['a body without status', { body: { a: 1 } }],
    ['a probability above 1', { status: 500, probability: 2 }],
    ['a status out of range', { status: 99 }],
    ['an unknown preset', { preset: 'explode' }],
  ])('refuses %s with 400', async (_, rule) => {
    const t = await setup()
    expectServiceError(await t.app.inject({ method: 'POST', url: '/_emulator/faults', payload: rule }), {
      status: 400,
      code: 'InvalidRequestContent',
    })
  })
})
