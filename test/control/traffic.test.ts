import { describe, expect, it } from 'vitest'

import { buildTestApp, type TestApp } from '../helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'

const flowUrl = (flow: string) => `${ADMIN}/environments/~default/flows/${flow}?${API}`
/** Far from a second's edge: a request starts a few ms before the clock's `now`, in the same second. */
const START = '2026-01-15T10:00:00.900Z'

const traffic = async (t: TestApp) => {
  const res = await t.app.inject({ method: 'GET', url: '/_emulator/traffic' })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<Record<string, unknown>>()
}

async function setup(options: Parameters<typeof buildTestApp>[0] = {}) {
  const t = await buildTestApp(options)
  t.clock.set(START)
  const token = await t.mint({ user: CONTOSO.admin.upn })
  const get = (flow: string) => t.as(token, { method: 'GET', url: flowUrl(flow) })
  const fault = async (preset: 'throttle' | 'unavailable') => {
    const rule = { operationId: 'Get-AdminFlow', preset, times: 1 }
    const res = await t.app.inject({ method: 'POST', url: '/_emulator/faults', payload: rule })
    expect(res.statusCode, res.body).toBe(201)
  }
  /** One each of 200, 404, 401, 429 and 503. */
  const mix = async () => {
    expect((await get(CONTOSO.flows.invoiceApproval)).statusCode).toBe(200)
    expect((await get('00000000-0000-4000-8000-000000000001')).statusCode).toBe(404)
    expect((await t.app.inject({ method: 'GET', url: flowUrl(CONTOSO.flows.heartbeat) })).statusCode).toBe(
      401,
    )
    await fault('throttle')
    expect((await get(CONTOSO.flows.heartbeat)).statusCode).toBe(429)
    await fault('unavailable')
    expect((await get(CONTOSO.flows.heartbeat)).statusCode).toBe(503)
  }
  return { ...t, mix }
}

describe('GET /_emulator/traffic', () => {
  it('counts API and token requests of the last minute and their 4xx, 429 and 5xx; not the control plane', async () => {
    const t = await setup()
    expect(await traffic(t)).toEqual({
      now: START,
      since: '2026-01-15T10:00:00.000Z',
      requestsPerMinute: 0,
      requests: 0,
      clientErrors: 0,
      throttled: 0,
      serverErrors: 0,
    })
    await t.mix()
    expect(await traffic(t)).toMatchObject({
      requestsPerMinute: 5,
      requests: 5,
      clientErrors: 3,
      throttled: 1,
      serverErrors: 1,
    })
    // A token request counts; the minting, fault and traffic calls above did not.
    const form = 'grant_type=client_credentials&client_id=x&client_secret=y&scope=z'
    const token = await t.app.inject({
      method: 'POST',
      url: `/${CONTOSO.tenantId}/oauth2/v2.0/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form,
    })
    expect(token.statusCode).toBe(400)
    expect(await traffic(t)).toMatchObject({ requestsPerMinute: 6, requests: 6, clientErrors: 4 })
  })

  it('keeps a request in the minute for this second and the 59 before, on the emulator clock', async () => {
    const t = await setup()
    await t.mix()
    t.clock.advance(30)
    await t.mix()
    expect(await traffic(t)).toMatchObject({ now: '2026-01-15T10:00:30.900Z', requestsPerMinute: 10 })
    t.clock.advance(29)
    expect(await traffic(t)).toMatchObject({ requestsPerMinute: 10, requests: 10 })
    t.clock.advance(1)
    expect(await traffic(t)).toMatchObject({ requestsPerMinute: 5, requests: 10, serverErrors: 2 })
    // The control plane's clock moves the same way.
    const moved = await t.app.inject({
      method: 'POST',
      url: '/_emulator/clock',
      payload: { advanceSeconds: 30 },
    })
    expect(moved.statusCode, moved.body).toBe(200)
    expect(await traffic(t)).toMatchObject({
      now: '2026-01-15T10:01:30.900Z',
      requestsPerMinute: 0,
      requests: 10,
      clientErrors: 6,
      throttled: 2,
      serverErrors: 2,
    })
  })

  it('counts with the journal off', async () => {
    const t = await setup({ journal: { size: 0 } })
    await t.mix()
    expect(await traffic(t)).toMatchObject({ requestsPerMinute: 5, requests: 5, clientErrors: 3 })
    const journal = await t.app.inject({ method: 'GET', url: '/_emulator/requests' })
    expect(journal.json()).toEqual({ value: [] })
  })

  it('a full reset counts from zero again, from its time; a tenant reset and a journal clear keep the counts', async () => {
    const t = await setup()
    await t.mix()
    const cleared = await t.app.inject({ method: 'DELETE', url: '/_emulator/requests' })
    expect(cleared.statusCode).toBe(204)
    const tenant = await t.app.inject({ method: 'POST', url: `/_emulator/reset?tenant=${CONTOSO.tenantId}` })
    expect(tenant.statusCode, tenant.body).toBe(200)
    expect(await traffic(t)).toMatchObject({ requests: 5, clientErrors: 3 })
    t.clock.advance(10)
    const reset = await t.app.inject({ method: 'POST', url: '/_emulator/reset' })
    expect(reset.statusCode, reset.body).toBe(200)
    expect(await traffic(t)).toEqual({
      now: '2026-01-15T10:00:10.900Z',
      since: '2026-01-15T10:00:10.900Z',
      requestsPerMinute: 0,
      requests: 0,
      clientErrors: 0,
      throttled: 0,
      serverErrors: 0,
    })
  })
})
