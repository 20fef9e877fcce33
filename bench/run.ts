import { mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import autocannon from 'autocannon'

import { makeFixture } from './fixture.ts'
import { median, positive } from './numbers.ts'
import { emulatorArgs, mint, startProcess } from './processes.ts'
import { ADMIN, API, INVOICE, scenarioLoad } from './scenarios.ts'

/**
 * `npm run bench`: the emulator against a bare Fastify baseline in the same run, under the same
 * load (10 connections, warm-up, fixed duration), alternating the two so machine drift hits both.
 * Prints a table and writes bench/results/latest.json. Targets are ratios, never timed assertions.
 *
 * Each scenario is measured in rounds: a baseline run and an emulator run back to back (which one
 * goes first alternates), giving one ratio per round. A scenario's ratio is the median of its
 * rounds' ratios: this machine's throughput drifts by a third within a minute, and a pair measured
 * seconds apart shares the drift, while one disturbed round does not move a median of five.
 */

const CONNECTIONS = 10
const DURATION = positive('BENCH_DURATION', 1)
const ROUNDS = positive('BENCH_ROUNDS', 5)
const TENANT = '783478ba-d972-4d0e-9d82-00409b796330'
const LOGS = join(tmpdir(), 'paae-bench')
mkdirSync(LOGS, { recursive: true })

interface Load {
  rps: number
  p50: number
  p99: number
  non2xx: number
}
interface Row {
  scenario: string
  rps: number
  p50: number
  p99: number
  baselineRps: number
  ratio: number
  /** Each round's emulator req/s over the baseline's. */
  roundRatios: number[]
  note?: string
}

async function load(
  url: string,
  options: Partial<autocannon.Options> = {},
  duration = DURATION,
): Promise<Load> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration, ...options })
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
  }
}

async function main() {
  const rows: Row[] = []
  const extra: Record<string, unknown> = {}

  // Cold start: spawn to the first 200 on the readiness URL, five of each, alternating.
  const cold = { emulator: [] as number[], baseline: [] as number[] }
  for (let i = 0; i < 5; i++) {
    const b = await startProcess(['bench/baseline-server.js'], '/ready', join(LOGS, 'baseline.log'))
    cold.baseline.push(b.coldStartMs)
    await b.stop()
    const e = await startProcess(emulatorArgs(), '/_emulator/ready', join(LOGS, 'emulator.log'))
    cold.emulator.push(e.coldStartMs)
    await e.stop()
  }
  extra['coldStart'] = {
    emulatorMs: median(cold.emulator),
    baselineMs: median(cold.baseline),
    ratio: median(cold.emulator) / median(cold.baseline),
  }

  const baseline = await startProcess(['bench/baseline-server.js'], '/ready', join(LOGS, 'baseline.log'))
  const emulator = await startProcess(emulatorArgs(), '/_emulator/ready', join(LOGS, 'emulator.log'))
  const authorization = `Bearer ${await mint(emulator, { user: 'admin@contoso.onmicrosoft.com' })}`
  const auth = { authorization }

  let toggle = 0
  const scenarios: {
    name: string
    emulator: Partial<autocannon.Options> & { url: string }
    baseline: Partial<autocannon.Options>
  }[] = [
    {
      name: 'GET permissions',
      emulator: scenarioLoad('permissions', emulator.base, authorization),
      baseline: {},
    },
    {
      name: 'POST stop/start alternating',
      emulator: {
        url: emulator.base,
        requests: [
          {
            method: 'POST',
            headers: auth,
            setupRequest: (req) => ({
              ...req,
              path: `${ADMIN}/environments/~default/flows/${INVOICE}/${toggle++ % 2 ? 'start' : 'stop'}?${API}`,
            }),
          },
        ],
      },
      baseline: { method: 'POST' },
    },
    {
      name: 'POST modifyPermissions',
      emulator: scenarioLoad('modify', emulator.base, authorization),
      baseline: { method: 'POST' },
    },
    {
      name: 'connector GET permissions',
      emulator: {
        url: `${emulator.base}/apim/microsoftflowforadmins/contoso-admin-firstparty${ADMIN}/environments/~default/flows/${INVOICE}/permissions`,
        headers: auth,
      },
      baseline: {},
    },
    {
      name: 'token (client credentials)',
      emulator: {
        url: `${emulator.base}/${TENANT}/oauth2/v2.0/token`,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: '7b0484fa-111e-44e3-a79c-35a2c9dff6e7',
          client_secret: 'contoso-automation-secret',
          scope: 'https://service.flow.microsoft.com//.default',
        }).toString(),
      },
      baseline: { method: 'POST' },
    },
  ]

  const measure = async (
    name: string,
    emulatorOptions: Partial<autocannon.Options> & { url: string },
    baselineOptions: Partial<autocannon.Options>,
    note?: string,
  ) => {
    const runBaseline = () => load(`${baseline.base}/json`, baselineOptions)
    const runEmulator = () => load(emulatorOptions.url, emulatorOptions)
    // Warm-up: both JITs compile the request path before anything counts.
    await runBaseline()
    await runEmulator()
    const b: Load[] = []
    const e: Load[] = []
    for (let i = 0; i < ROUNDS; i++) {
      if (i % 2 === 0) {
        b.push(await runBaseline())
        e.push(await runEmulator())
      } else {
        e.push(await runEmulator())
        b.push(await runBaseline())
      }
    }
    const of = (xs: Load[], key: keyof Load) => median(xs.map((x) => x[key]))
    const roundRatios = e.map((x, i) => x.rps / b[i]!.rps)
    const row: Row = {
      scenario: name,
      rps: Math.round(of(e, 'rps')),
      p50: of(e, 'p50'),
      p99: of(e, 'p99'),
      baselineRps: Math.round(of(b, 'rps')),
      ratio: median(roundRatios),
      roundRatios,
      ...(note ? { note } : {}),
    }
    rows.push(row)
    console.error(
      `${name}: ${row.rps} req/s (${(row.ratio * 100).toFixed(0)}% of baseline), p99 ${row.p99} ms`,
    )
  }

  for (const s of scenarios) await measure(s.name, s.emulator, s.baseline)

  // A throttled connection: the default 100 per 60 s, so nearly every call is a 429.
  await fetch(`${emulator.base}/_emulator/throttling`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ limit: 100 }),
  })
  await measure(
    'throttled connection (429s)',
    {
      url: `${emulator.base}/apim/microsoftflowforadmins/contoso-admin-firstparty${ADMIN}/users/d8140a16-ee07-46d8-8cea-bb3bbb61f068`,
      headers: auth,
    },
    {},
    'answers are 429',
  )
  await fetch(`${emulator.base}/_emulator/throttling`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ limit: 1000000 }),
  })

  // Reset: the demo tenant back, twenty times.
  const resets: number[] = []
  for (let i = 0; i < 20; i++) {
    const started = performance.now()
    await fetch(`${emulator.base}/_emulator/reset`, { method: 'POST' })
    resets.push(performance.now() - started)
  }
  extra['resetMs'] = { median: median(resets), max: Math.max(...resets) }

  // Memory, journal on: 200 000 requests in chunks of 5 000, the resident set read after each.
  // Garbage collection makes the readings a sawtooth whose peaks (and even medians) depend on when
  // the collector runs; its floor, the lowest reading, is what stays alive. The floors of the ten
  // readings from 50 000 to 100 000 requests and of the ten from 150 000 to 200 000 are compared:
  // a leak raises the floor.
  const permissionsUrl = scenarioLoad('permissions', emulator.base, authorization).url
  const readings: number[] = []
  for (let i = 0; i < 40; i++) {
    await autocannon({ url: permissionsUrl, connections: CONNECTIONS, amount: 5_000, headers: auth })
    readings.push(emulator.rssMb())
  }
  const rss100k = Math.min(...readings.slice(10, 20))
  const rss200k = Math.min(...readings.slice(30, 40))
  extra['memoryReadingsMb'] = readings.map((r) => Math.round(r))
  extra['memory'] = { rssAfter100kMb: rss100k, rssAfter200kMb: rss200k, growth: rss200k / rss100k - 1 }
  await emulator.stop()
  await baseline.stop()

  // Growth with data size: one flow's GET with 1, 1 000 and 100 000 flows; GET permissions with 10 000 entries.
  const growth: Record<string, number> = {}
  for (const flows of [1, 1_000, 100_000]) {
    const file = makeFixture({ flows, permissionsOnFirstFlow: flows === 1 ? 10_000 : 0 })
    const e = await startProcess(
      emulatorArgs(['--fixtures', file, '--log-level', 'warn']),
      '/_emulator/ready',
      join(LOGS, `growth-${flows}.log`),
    )
    const token = await mint(e, { user: 'admin@contoso.onmicrosoft.com' })
    const flowUrl = `${e.base}${ADMIN}/environments/~default/flows/00000000-0000-4000-8000-000000000000?${API}`
    const headers = { authorization: `Bearer ${token}` }
    // Warm-up, as for every scenario: a fresh process's first second is mostly compiling.
    await load(flowUrl, { headers })
    const one = await load(flowUrl, { headers }, 2)
    growth[`getFlowRps_${flows}flows`] = Math.round(one.rps)
    if (flows === 1) {
      const perms = await load(
        `${e.base}${ADMIN}/environments/~default/flows/00000000-0000-4000-8000-000000000000/permissions?${API}`,
        { headers: { authorization: `Bearer ${token}` } },
      )
      growth['getPermissionsRps_10000entries'] = Math.round(perms.rps)
    }
    await e.stop()
  }
  extra['growth'] = growth

  const results = {
    date: new Date().toISOString(),
    node: process.version,
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    rounds: ROUNDS,
    scenarios: rows,
    ...extra,
  }
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true })
  writeFileSync(new URL('./results/latest.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`)
  console.log(formatTable(results as unknown as Results))
}

interface Results {
  scenarios: Row[]
  coldStart: { emulatorMs: number; baselineMs: number; ratio: number }
  resetMs: { median: number; max: number }
  memory: { rssAfter100kMb: number; rssAfter200kMb: number; growth: number }
  growth: Record<string, number>
}

export function formatTable(r: Results): string {
  const lines = [
    '| scenario | req/s | p50 ms | p99 ms | baseline req/s | ratio |',
    '|---|---:|---:|---:|---:|---:|',
    ...r.scenarios.map(
      (s) =>
        `| ${s.scenario} | ${s.rps} | ${s.p50.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.baselineRps} | ${(s.ratio * 100).toFixed(0)}% |`,
    ),
    '',
    `Cold start to ready: ${r.coldStart.emulatorMs.toFixed(0)} ms (baseline ${r.coldStart.baselineMs.toFixed(0)} ms, ${r.coldStart.ratio.toFixed(2)}x)`,
    `Reset (demo tenant): median ${r.resetMs.median.toFixed(1)} ms, max ${r.resetMs.max.toFixed(1)} ms`,
    `Resident memory, journal on: ${r.memory.rssAfter100kMb.toFixed(0)} MB after 100k requests, ${r.memory.rssAfter200kMb.toFixed(0)} MB after 200k (${(r.memory.growth * 100).toFixed(1)}%)`,
    `Growth: ${Object.entries(r.growth)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  ]
  return lines.join('\n')
}

await main()
