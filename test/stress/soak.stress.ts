import { readFileSync } from 'node:fs'

import { afterEach, expect, it } from 'vitest'

import { childFlags, killEmulators, startEmulator } from '../helpers/child-emulator.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'
import { mintOverHttp } from '../helpers/tokens.ts'

afterEach(killEmulators)

/**
 * Soak: a steady mixed load on loopback, bounded in time and count (SOAK_SECONDS,
 * default 180; SOAK_RATE requests per second, default 200). Pass: no failure other than the
 * intended 429s of a fault rule, resident memory flat (within 10% between the first and last
 * third once warm), p99 latency stable (the last third within twice the first, plus 5 ms).
 */
const SECONDS = Number(process.env['SOAK_SECONDS'] ?? 180)
const RATE = Number(process.env['SOAK_RATE'] ?? 200)

it(`soak: ${SECONDS} s at ${RATE} requests per second`, async () => {
  const e = await startEmulator(childFlags(':memory:', '--throttle-limit', '1000000', '--log-level', 'warn'))
  const post = (path: string, body: unknown) =>
    fetch(`${e.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const token = await mintOverHttp(e.base, { user: CONTOSO.admin.upn })
  // The intended 429s: one operation answers the gateway's throttle one time in ten.
  expect(
    (await post('/_emulator/faults', { operationId: 'Get-AdminFlow', preset: 'throttle', probability: 0.1 }))
      .status,
  ).toBe(201)
  const auth = { authorization: `Bearer ${token}` }
  const flow = `${e.base}${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}`
  const mix: (() => Promise<Response>)[] = [
    () => fetch(`${flow}/permissions?${API}`, { headers: auth }),
    () => fetch(`${flow}?${API}`, { headers: auth }),
    () => fetch(`${flow}/stop?${API}`, { method: 'POST', headers: auth }),
    () => fetch(`${flow}/start?${API}`, { method: 'POST', headers: auth }),
    () =>
      fetch(`${flow}/modifyPermissions?${API}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          put: [{ properties: { principal: { id: CONTOSO.analyst.id, type: 'User' }, roleName: 'CanView' } }],
        }),
      }),
    () =>
      fetch(`${e.base}/${CONTOSO.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: CONTOSO.automationApp.clientId,
          client_secret: 'contoso-automation-secret',
          scope: 'https://service.flow.microsoft.com//.default',
        }).toString(),
      }),
  ]
  const rss = () =>
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${e.child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024
  const thirds: { latencies: number[]; rss: number[] }[] = [0, 1, 2].map(() => ({ latencies: [], rss: [] }))
  const failures: string[] = []
  let intended429 = 0
  let sent = 0
  const started = performance.now()
  const inFlight = new Set<Promise<void>>()
  while (performance.now() - started < SECONDS * 1000) {
    const elapsed = performance.now() - started
    const third = thirds[Math.min(2, Math.floor((elapsed / 1000 / SECONDS) * 3))]!
    // Paced: one request each 1/RATE s, never more than 64 in flight.
    while (sent < (elapsed / 1000) * RATE && inFlight.size < 64) {
      const kind = sent % mix.length
      const t0 = performance.now()
      const p = mix[kind]!().then(
        async (res) => {
          await res.arrayBuffer()
          third.latencies.push(performance.now() - t0)
          if (res.status === 429 && kind === 1) intended429++
          else if (res.status >= 400) failures.push(`${kind}: ${res.status}`)
        },
        (error: Error) => void failures.push(`${kind}: ${error.message}`),
      )
      const tracked = p.finally(() => inFlight.delete(tracked))
      inFlight.add(tracked)
      sent++
    }
    // Resident memory once a second, so even a short run has readings in every third.
    if (Math.floor(elapsed / 1000) !== Math.floor((elapsed - 5) / 1000)) third.rss.push(rss())
    await new Promise((r) => setTimeout(r, 5))
  }
  await Promise.all(inFlight)
  const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)] ?? 0
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length)
  const report = {
    sent,
    intended429,
    failures: failures.length,
    p99Ms: thirds.map((t) => Math.round(p99(t.latencies) * 10) / 10),
    rssMb: thirds.map((t) => Math.round(mean(t.rss))),
  }
  console.log(`soak: ${JSON.stringify(report)}`)
  expect(failures.slice(0, 10)).toEqual([])
  expect(intended429).toBeGreaterThan(0)
  expect(sent).toBeGreaterThan(SECONDS * RATE * 0.9)
  for (const third of thirds) expect(third.rss.length).toBeGreaterThan(0)
  expect(report.rssMb[2]!).toBeLessThanOrEqual(report.rssMb[1]! * 1.1)
  expect(report.p99Ms[2]!).toBeLessThanOrEqual(report.p99Ms[0]! * 2 + 5)
  e.child.kill('SIGTERM')
  expect(await e.exited).toBe(0)
})
