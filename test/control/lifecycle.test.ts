import { describe, expect, it } from 'vitest'

import { expectEmptySuccess, expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp } from '../helpers/build-test-app.ts'
import { FIRST_PARTY, viaConnector } from '../helpers/connector.ts'
import { ADMIN, API, CONTOSO, FABRIKAM } from '../helpers/demo.ts'

const flowUrl = (flow: string) => `${ADMIN}/environments/~default/flows/${flow}?${API}`

describe('health and readiness', () => {
  it('health: status, version, uptime and database kind', async () => {
    const t = await buildTestApp()
    const res = await t.app.inject({ method: 'GET', url: '/_emulator/health' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      status: 'ok',
      version: '0.1.0',
      uptimeSeconds: expect.any(Number),
      database: 'memory',
    })
  })

  it('ready: 200 once the app is ready (migrations and seeding done), 503 while it is not', async () => {
    const t = await buildTestApp()
    expect((await t.app.inject({ method: 'GET', url: '/_emulator/ready' })).json()).toEqual({
      status: 'ready',
    })
    t.app.lifecycle.ready = false // as during a graceful shutdown (preClose)
    expectServiceError(await t.app.inject({ method: 'GET', url: '/_emulator/ready' }), {
      status: 503,
      code: 'NotReady',
    })
  })
})

describe('POST /_emulator/reset', () => {
  it('restores a deleted flow, clears a throttled connection, the journal, faults, clock and throttle settings; old tokens stay valid', async () => {
    const t = await buildTestApp({ throttle: { limit: 2 } })
    const token = await t.mint({ user: CONTOSO.admin.upn })
    expectEmptySuccess(await t.as(token, { method: 'DELETE', url: flowUrl(CONTOSO.flows.invoiceApproval) }))
    const read = () =>
      t.as(token, { method: 'GET', url: viaConnector(FIRST_PARTY, `/users/${CONTOSO.analyst.id}`) })
    await read()
    await read()
    expect((await read()).statusCode).toBe(429)
    await t.app.inject({
      method: 'POST',
      url: '/_emulator/faults',
      payload: { preset: 'unavailable', path: '/nothing' },
    })
    await t.app.inject({ method: 'PUT', url: '/_emulator/throttling', payload: { limit: 1 } })
    await t.app.inject({ method: 'POST', url: '/_emulator/clock', payload: { advanceSeconds: 120 } })

    const reset = await t.app.inject({ method: 'POST', url: '/_emulator/reset' })
    expect(reset.statusCode).toBe(200)
    expect(reset.json()).toEqual({ status: 'reset', tenant: null, durationMs: expect.any(Number) })
    expect((await t.app.inject({ method: 'GET', url: '/_emulator/requests' })).json().value).toEqual([])

    expect(
      (await t.as(token, { method: 'GET', url: flowUrl(CONTOSO.flows.invoiceApproval) })).statusCode,
    ).toBe(200)
    expect((await read()).statusCode).toBe(200)
    expect((await t.app.inject({ method: 'GET', url: '/_emulator/faults' })).json().value).toEqual([])
    expect((await t.app.inject({ method: 'GET', url: '/_emulator/throttling' })).json().limit).toBe(2)
    expect((await t.app.inject({ method: 'GET', url: '/_emulator/clock' })).json()).toMatchObject({
      mode: 'real',
      offsetSeconds: 0,
    })
  })

  it('?tenant resets that tenant only', async () => {
    const t = await buildTestApp()
    const contoso = await t.mint({ user: CONTOSO.admin.upn })
    const fabrikam = await t.mint({ user: FABRIKAM.admin.upn })
    await t.as(contoso, { method: 'DELETE', url: flowUrl(CONTOSO.flows.invoiceApproval) })
    await t.as(fabrikam, { method: 'DELETE', url: flowUrl(FABRIKAM.onboardingFlow) })
    const res = await t.app.inject({
      method: 'POST',
      url: '/_emulator/reset?tenant=fabrikam.onmicrosoft.com',
    })
    expect(res.json()).toMatchObject({ status: 'reset', tenant: FABRIKAM.tenantId })
    const journal = (await t.app.inject({ method: 'GET', url: '/_emulator/requests' })).json().value as {
      tenant: string
    }[]
    expect(journal.map((e) => e.tenant)).toEqual([CONTOSO.tenantId])
    expect((await t.as(fabrikam, { method: 'GET', url: flowUrl(FABRIKAM.onboardingFlow) })).statusCode).toBe(
      200,
    )
    expect(
      (await t.as(contoso, { method: 'GET', url: flowUrl(CONTOSO.flows.invoiceApproval) })).statusCode,
    ).toBe(404)
  })

  it('an unknown tenant: 404', async () => {
    const t = await buildTestApp()
    expectServiceError(await t.app.inject({ method: 'POST', url: '/_emulator/reset?tenant=nowhere' }), {
      status: 404,
      code: 'TenantNotFound',
    })
  })
})

describe('control plane access', () => {
  it('answers loopback clients only without a control key', async () => {
    const t = await buildTestApp()
    for (const url of ['/_emulator/health', '/_emulator/state', '/_emulator/requests']) {
      expectServiceError(await t.app.inject({ method: 'GET', url, remoteAddress: '203.0.113.7' }), {
        status: 403,
        code: 'ControlPlaneForbidden',
        message: 'The emulator control plane only answers loopback clients.',
      })
    }
    expectServiceError(
      await t.app.inject({ method: 'POST', url: '/_emulator/reset', remoteAddress: '203.0.113.7' }),
      { status: 403, code: 'ControlPlaneForbidden' },
    )
  })

  it('with --control-key, every call needs the right x-emulator-key, from anywhere', async () => {
    const t = await buildTestApp({ controlKey: 'a-long-control-key-0123' })
    expectServiceError(await t.app.inject({ method: 'GET', url: '/_emulator/health' }), {
      status: 403,
      code: 'ControlPlaneForbidden',
      message: /x-emulator-key/,
    })
    expectServiceError(
      await t.app.inject({ method: 'GET', url: '/_emulator/health', headers: { 'x-emulator-key': 'wrong' } }),
      { status: 403, code: 'ControlPlaneForbidden' },
    )
    const ok = await t.app.inject({
      method: 'GET',
      url: '/_emulator/health',
      remoteAddress: '203.0.113.7',
      headers: { 'x-emulator-key': 'a-long-control-key-0123' },
    })
    expect(ok.statusCode).toBe(200)
  })
})
