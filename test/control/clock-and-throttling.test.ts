import { describe, expect, it } from 'vitest'

import { expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp, TEST_NOW } from '../helpers/build-test-app.ts'
import { FIRST_PARTY, viaConnector } from '../helpers/connector.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'

describe('/_emulator/clock', () => {
  it('advances a token into expiry, and sets, freezes and releases the clock', async () => {
    const t = await buildTestApp()
    const token = await t.mint({ user: CONTOSO.admin.upn })
    const call = () => t.as(token, { method: 'GET', url: `${ADMIN}/users/${CONTOSO.analyst.id}?${API}` })
    expect((await call()).statusCode).toBe(200)
    const advanced = await t.app.inject({
      method: 'POST',
      url: '/_emulator/clock',
      payload: { advanceSeconds: 3600 + 301 },
    })
    expect(advanced.json()).toEqual({
      now: new Date(Date.parse(TEST_NOW) + 3901_000).toISOString(),
      mode: 'offset',
      offsetSeconds: 3901,
    })
    expectServiceError(await call(), { status: 401, code: 'ExpiredAuthenticationToken' })

    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/_emulator/clock',
          payload: { now: '2030-01-01T00:00:00Z' },
        })
      ).json().now,
    ).toBe('2030-01-01T00:00:00.000Z')
    expect(
      (await t.app.inject({ method: 'POST', url: '/_emulator/clock', payload: { freeze: true } })).json()
        .mode,
    ).toBe('frozen')
    expect((await t.app.inject({ method: 'GET', url: '/_emulator/clock' })).json().now).toBe(
      '2030-01-01T00:00:00.000Z',
    )
    expect(
      (await t.app.inject({ method: 'POST', url: '/_emulator/clock', payload: { mode: 'real' } })).json(),
    ).toEqual({ now: TEST_NOW, mode: 'real', offsetSeconds: 0 })
    expect((await call()).statusCode).toBe(200)
  })

  it('drives the timestamps the API writes', async () => {
    const t = await buildTestApp()
    await t.app.inject({
      method: 'POST',
      url: '/_emulator/clock',
      payload: { now: '2027-05-06T07:08:09.123Z' },
    })
    const token = await t.mint({ user: CONTOSO.admin.upn })
    await t.as(token, {
      method: 'POST',
      url: `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/stop?${API}`,
    })
    const flow = await t.as(token, {
      method: 'GET',
      url: `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}?${API}`,
    })
    expect(flow.json().properties.lastModifiedTime).toBe('2027-05-06T07:08:09.1230000Z')
  })

  it.each([
    { advanceSeconds: 'x' },
    { now: 'yesterday' },
    { freeze: false },
    { mode: 'fake' },
    {},
    { advanceSeconds: 1, freeze: true },
  ])('refuses %j', async (payload) => {
    const t = await buildTestApp()
    expectServiceError(await t.app.inject({ method: 'POST', url: '/_emulator/clock', payload }), {
      status: 400,
      code: 'InvalidRequestContent',
    })
  })
})

describe('/_emulator/throttling', () => {
  it('shows the settings and each connection use, and changes them without a restart', async () => {
    const t = await buildTestApp()
    const token = await t.mint({ user: CONTOSO.admin.upn })
    const read = () =>
      t.as(token, { method: 'GET', url: viaConnector(FIRST_PARTY, `/users/${CONTOSO.analyst.id}`) })
    await read()
    await read()
    const state = (await t.app.inject({ method: 'GET', url: '/_emulator/throttling' })).json()
    expect(state).toEqual({
      enabled: true,
      limit: 100,
      windowSeconds: 60,
      countRejected: true,
      surfaces: ['connector'],
      connections: [
        { connection: FIRST_PARTY, used: 2, remaining: 98, resetSeconds: 60, lastThrottledAt: null },
      ],
    })
    const changed = await t.app.inject({ method: 'PUT', url: '/_emulator/throttling', payload: { limit: 2 } })
    expect(changed.json()).toMatchObject({ limit: 2, windowSeconds: 60, enabled: true })
    expect((await read()).statusCode).toBe(429)
    // The refused call counts too (countRejected), so three calls are used of a limit of two.
    expect(
      (await t.app.inject({ method: 'GET', url: '/_emulator/throttling' })).json().connections[0],
    ).toMatchObject({ used: 3, remaining: 0, lastThrottledAt: TEST_NOW })
    await t.app.inject({ method: 'PUT', url: '/_emulator/throttling', payload: { enabled: false } })
    expect((await read()).statusCode).toBe(200)
  })

  it.each([{ limit: 0 }, { limitt: 5 }, { windowSeconds: 'x' }])('refuses %j', async (payload) => {
    const t = await buildTestApp()
    expectServiceError(await t.app.inject({ method: 'PUT', url: '/_emulator/throttling', payload }), {
      status: 400,
      code: 'InvalidRequestContent',
    })
  })
})
