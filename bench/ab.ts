import { existsSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

import autocannon from 'autocannon'

import { atLeastOne, median, positive } from './numbers.ts'
import { emulatorArgs, mint, startProcess } from './processes.ts'
import { isScenario, scenarioLoad, SCENARIOS, type Scenario } from './scenarios.ts'

/**
 * `npm run bench:ab -- <checkout A> <checkout B> [scenario] [pairs]`: one scenario on two built
 * checkouts (`npm run build` in each), A and B alternating, a fresh emulator each run (1 s warm-up,
 * then `AB_SECONDS`, default 3). Prints each pair and the medians: req/s, p99, and the CPU time
 * each process used per request, all its threads (garbage collection and log writes included),
 * read from /proc. CPU per request moves less with the machine's drift than req/s does. Extra
 * flags for either side: `AB_FLAGS_A`, `AB_FLAGS_B` (say `--journal-size 1`); the same checkout
 * twice with different flags measures what a setting costs. Linux only.
 */
const [rootA, rootB, scenarioName = 'permissions', pairsText = '6'] = process.argv.slice(2)
if (!rootA || !rootB) throw new Error('usage: bench:ab -- <checkout A> <checkout B> [scenario] [pairs]')
if (!isScenario(scenarioName)) throw new Error(`scenario must be one of ${SCENARIOS.join(', ')}`)
const pairs = atLeastOne('pairs', pairsText)
const seconds = positive('AB_SECONDS', 3)
const LOGS = join(tmpdir(), 'paae-ab')
mkdirSync(LOGS, { recursive: true })

interface Run {
  rps: number
  p99: number
  cpuPerRequest: number
}

const side = (root: string, flags: string | undefined) => {
  const cwd = resolve(root)
  if (!existsSync(join(cwd, 'dist', 'emulator.mjs'))) throw new Error(`${cwd}: not built (npm run build)`)
  return { cwd, flags: (flags ?? '').split(' ').filter(Boolean) }
}
const a = side(rootA, process.env['AB_FLAGS_A'])
const b = side(rootB, process.env['AB_FLAGS_B'])

async function run(which: { cwd: string; flags: string[] }, scenario: Scenario): Promise<Run> {
  const emulator = await startProcess(
    emulatorArgs(which.flags),
    '/_emulator/ready',
    join(LOGS, 'emulator.log'),
    which.cwd,
  )
  try {
    const authorization = `Bearer ${await mint(emulator, { user: 'admin@contoso.onmicrosoft.com' })}`
    const load = scenarioLoad(scenario, emulator.base, authorization)
    await autocannon({ connections: 10, duration: 1, ...load })
    const before = emulator.cpuMicroseconds()
    const result = await autocannon({ connections: 10, duration: seconds, ...load })
    const used = emulator.cpuMicroseconds() - before
    return {
      rps: Math.round(result.requests.average),
      p99: result.latency.p99,
      cpuPerRequest: Math.round(used / result.requests.total),
    }
  } finally {
    await emulator.stop()
  }
}

const runsA: Run[] = []
const runsB: Run[] = []
for (let i = 0; i < pairs; i++) {
  if (i % 2 === 0) {
    runsA.push(await run(a, scenarioName))
    runsB.push(await run(b, scenarioName))
  } else {
    runsB.push(await run(b, scenarioName))
    runsA.push(await run(a, scenarioName))
  }
  const [x, y] = [runsA[i]!, runsB[i]!]
  console.log(
    `pair ${i + 1}: A ${x.rps} req/s, ${x.cpuPerRequest} µs/req, p99 ${x.p99} ms | B ${y.rps} req/s, ${y.cpuPerRequest} µs/req, p99 ${y.p99} ms`,
  )
}
const rpsRatio = median(runsA.map((x, i) => runsB[i]!.rps / x.rps))
const cpuRatio = median(runsA.map((x, i) => runsB[i]!.cpuPerRequest / x.cpuPerRequest))
console.log(
  `\n${scenarioName}, ${pairs} pairs of ${seconds} s: A ${median(runsA.map((r) => r.rps))} req/s, ` +
    `${median(runsA.map((r) => r.cpuPerRequest))} µs/req; B ${median(runsB.map((r) => r.rps))} req/s, ` +
    `${median(runsB.map((r) => r.cpuPerRequest))} µs/req`,
)
console.log(
  `B over A, medians of the pairs: req/s ${rpsRatio.toFixed(3)}, CPU a request ${cpuRatio.toFixed(3)}`,
)
