/**
 * Run as `node --expose-gc --import tsx memory-flood.ts <scenario>`: floods an app built in this
 * process (inject, no sockets) and prints what the heap holds, after a full collection, before and
 * after the flood and after the control plane clears what it holds. One JSON line on stdout.
 */
import { buildApp } from '../../../server/app.ts'
import { createSlidingWindowLimiter } from '../../../server/throttle/sliding-window.ts'

const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with --expose-gc')

const heapAfterGc = () => {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

const ADMIN = '/providers/Microsoft.ProcessSimple/scopes/admin'
const TENANT = '2f2a7f3e-7d1c-4f7a-9b8e-1c2d3e4f5a6b'
const FLOW = `${ADMIN}/environments/~default/flows/6f1c0c2a-5e9b-4b1e-9a51-0d2a3c4b5e6f`

const scenario = process.argv[2]
const count = Number(process.argv[3] ?? 300)

if (scenario === 'journal') {
  const journal = { size: 100, bodyLimit: 16_384 }
  const app = await buildApp({ db: ':memory:', logLevel: 'silent', journal, throttle: { enabled: false } })
  const minted = await app.inject({
    method: 'POST',
    url: '/_emulator/tokens',
    payload: { user: 'admin@contoso.onmicrosoft.com' },
  })
  const token = minted.json<{ access_token: string }>().access_token
  // A form of 20,000 short fields (~190 KB on the wire), unauthenticated, to Entra.
  const form = Array.from({ length: 20_000 }, (_, i) => `f${i}=${i}`).join('&')
  // A JSON body of 500 KB of many small objects, with a token, to modifyPermissions.
  const json = JSON.stringify({
    put: Array.from({ length: 12_000 }, (_, i) => ({ properties: { principal: { id: `p${i}` } } })),
  })
  const flood = async (n: number) => {
    for (let i = 0; i < n; i++) {
      await app.inject({
        method: 'POST',
        url: '/common/oauth2/v2.0/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: form,
      })
      await app.inject({
        method: 'POST',
        url: `${FLOW}/modifyPermissions?api-version=2016-11-01`,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        payload: json,
      })
      await app.inject({
        method: 'POST',
        url: `/${TENANT}/oauth2/v2.0/token`,
        headers: { 'content-type': 'application/json' },
        payload: json,
      })
    }
  }
  const clear = () => app.inject({ method: 'DELETE', url: '/_emulator/requests' })
  // Warm up every path once, so compiled code and caches are in the baseline.
  await flood(3)
  await clear()
  const before = heapAfterGc()
  await flood(count)
  const entries = app.journal.size()
  const flooded = heapAfterGc()
  await clear()
  const cleared = heapAfterGc()
  console.log(JSON.stringify({ journal, entries, before, flooded, cleared }))
  await app.close()
} else if (scenario === 'throttle') {
  // The connector's defaults: 100 calls per 60 s, rejected calls counted.
  const settings = { enabled: true, limit: 100, windowSeconds: 60, countRejected: true }
  const windowMs = settings.windowSeconds * 1000
  const oneLimiter = createSlidingWindowLimiter(settings)
  const manyLimiter = createSlidingWindowLimiter(settings)
  oneLimiter.hit('warm-up', 0)
  manyLimiter.hit('warm-up', 0)
  const before = heapAfterGc()
  // One connection hammered: `count` thousand calls within one window.
  const calls = count * 1000
  for (let i = 0; i < calls; i++) oneLimiter.hit('connection:one', (i / calls) * (windowMs - 1))
  const one = heapAfterGc() - before
  // Many connections: `count` thousand distinct ids, one call each, over ten window lengths.
  const start = heapAfterGc()
  for (let i = 0; i < calls; i++) manyLimiter.hit(`connection:${i}`, (i / calls) * 10 * windowMs)
  const many = heapAfterGc() - start
  console.log(
    JSON.stringify({ settings, calls, one, many, windows: manyLimiter.size(), perWindow: calls / 10 }),
  )
} else {
  throw new Error(`unknown scenario '${scenario}'`)
}
