import { describe, expect, it } from 'vitest'

import { captureLogs } from '../helpers/logs.ts'

import { buildTestApp } from '../helpers/build-test-app.ts'
import { FIRST_PARTY, viaConnector } from '../helpers/connector.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'

const READ = `/users/${CONTOSO.analyst.id}`
const flowApiRead = `${ADMIN}${READ}?${API}`

async function setup(options: Parameters<typeof buildTestApp>[0] = {}) {
  const t = await buildTestApp(options)
  const token = await t.mint({ user: CONTOSO.admin.upn })
  const call = (connection = FIRST_PARTY) =>
    t.as(token, { method: 'GET', url: viaConnector(connection, READ) })
  const calls = async (count: number, connection = FIRST_PARTY) => {
    const statuses: number[] = []
    for (let i = 0; i < count; i++) statuses.push((await call(connection)).statusCode)
    return statuses
  }
  return { ...t, token, call, calls }
}

function expect429(res: Awaited<ReturnType<Awaited<ReturnType<typeof setup>>['call']>>, seconds: number) {
  expect(res.statusCode).toBe(429)
  expect(res.headers['content-type']).toBe('application/json')
  expect(res.headers['retry-after']).toBe(String(seconds))
  expect(res.json()).toEqual({
    statusCode: 429,
    message: `Rate limit is exceeded. Try again in ${seconds} seconds.`,
  })
}

describe('100 calls per connection per 60 seconds', () => {
  it('the 101st call gets the gateway 429 with Retry-After N, and a call N seconds later is accepted', async () => {
    const t = await setup()
    expect(await t.calls(100)).toEqual(Array(100).fill(200))
    t.clock.advance(10)
    // The first 100 calls leave the window 60 s after they were made: 50 s from now.
    expect429(await t.call(), 50)
    t.clock.advance(49)
    expect429(await t.call(), 1)
    t.clock.advance(1)
    expect((await t.call()).statusCode).toBe(200)
  })

  it('counts rejected calls, so a client that keeps hammering stays throttled', async () => {
    const t = await setup()
    await t.calls(100)
    t.clock.advance(30)
    const hammering = await t.calls(150)
    expect(new Set(hammering)).toEqual(new Set([429]))
    t.clock.advance(31)
    // The first 100 left the window, the 150 rejected calls of 31 s ago still fill it.
    expect429(await t.call(), 29)
    t.clock.advance(29)
    expect((await t.call()).statusCode).toBe(200)
  })

  it('with countRejected off, only accepted calls count', async () => {
    const t = await setup({ throttle: { countRejected: false } })
    await t.calls(100)
    t.clock.advance(30)
    await t.calls(150)
    t.clock.advance(30)
    expect((await t.call()).statusCode).toBe(200)
  })

  it('one connection running out never affects another, nor the Flow API surface', async () => {
    const t = await setup()
    await t.calls(101)
    expect((await t.call('another-connection')).statusCode).toBe(200)
    expect((await t.as(t.token, { method: 'GET', url: flowApiRead })).statusCode).toBe(200)
  })

  it("the direct Flow API is not throttled by default: the limit is the gateway's", async () => {
    const t = await setup({ throttle: { limit: 3 } })
    for (let i = 0; i < 150; i++)
      expect((await t.as(t.token, { method: 'GET', url: flowApiRead })).statusCode).toBe(200)
    const state = (await t.app.inject({ method: 'GET', url: '/_emulator/throttling' })).json()
    expect(state).toMatchObject({ surfaces: ['connector'], connections: [] })
  })

  it('with --throttle-flow-api the Flow API connection is the caller: tenant, principal and client app', async () => {
    const t = await setup({ throttle: { limit: 3 }, throttleFlowApi: true })
    for (let i = 0; i < 3; i++)
      expect((await t.as(t.token, { method: 'GET', url: flowApiRead })).statusCode).toBe(200)
    const res = await t.as(t.token, { method: 'GET', url: flowApiRead })
    expect(res.statusCode).toBe(429)
    expect(res.json().statusCode).toBe(429)
    const otherUser = await t.mint({ user: CONTOSO.ppadmin.upn })
    expect((await t.as(otherUser, { method: 'GET', url: flowApiRead })).statusCode).toBe(200)
    const sameUserOtherClient = await t.mint({
      user: CONTOSO.admin.upn,
      clientId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
    })
    expect((await t.as(sameUserOtherClient, { method: 'GET', url: flowApiRead })).statusCode).toBe(200)
  })

  it('is exact under concurrency: of 300 simultaneous calls on one connection, 100 succeed and 200 get 429', async () => {
    const t = await setup()
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = t.app.server.address() as { port: number }
    const url = `http://127.0.0.1:${port}${viaConnector(FIRST_PARTY, READ)}`
    const statuses = await Promise.all(
      Array.from(
        { length: 300 },
        async () => (await fetch(url, { headers: { authorization: `Bearer ${t.token}` } })).status,
      ),
    )
    expect(statuses.filter((s) => s === 200)).toHaveLength(100)
    expect(statuses.filter((s) => s === 429)).toHaveLength(200)
  })
})

describe('the throttling switches', () => {
  it('throttle off: no 429 ever', async () => {
    const t = await setup({ throttle: { enabled: false } })
    expect(new Set(await t.calls(150))).toEqual(new Set([200]))
  })

  it('limit and window', async () => {
    const t = await setup({ throttle: { limit: 2, windowSeconds: 5 } })
    expect(await t.calls(3)).toEqual([200, 200, 429])
    t.clock.advance(5)
    expect((await t.call()).statusCode).toBe(200)
  })

  it('--rate-limit-headers adds RateLimit-Limit, -Remaining and -Reset; they are absent by default', async () => {
    const plain = await setup()
    const res = await plain.call()
    expect(res.headers['ratelimit-limit']).toBeUndefined()
    const t = await setup({ rateLimitHeaders: true, throttle: { limit: 2 } })
    const first = await t.call()
    expect(first.headers).toMatchObject({
      'ratelimit-limit': '2',
      'ratelimit-remaining': '1',
      'ratelimit-reset': '60',
    })
    t.clock.advance(20)
    await t.call()
    const third = await t.call()
    expect(third.statusCode).toBe(429)
    // The rejected call counts, so the window frees a call when Retry-After says, not when the
    // first call leaves it.
    expect(third.headers).toMatchObject({
      'ratelimit-limit': '2',
      'ratelimit-remaining': '0',
      'ratelimit-reset': '60',
      'retry-after': '60',
    })
  })

  it('a 429 is in the request log line with its connection', async () => {
    const { logStream, lines } = captureLogs()
    const t = await setup({ logLevel: 'info', logStream, throttle: { limit: 1 } })
    await t.calls(2)
    expect(lines.filter((l) => l['msg'] === 'request completed').at(-1)).toMatchObject({
      statusCode: 429,
      connection: `connection:${FIRST_PARTY}`,
    })
  })
})
