import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import autocannon from 'autocannon'

import { emulatorArgs, mint, startProcess } from './processes.ts'
import { isScenario, scenarioLoad, SCENARIOS } from './scenarios.ts'

/**
 * `npm run bench:profile [scenario]`: the emulator under load with V8's CPU profiler on, then the
 * functions that took the most time (self time, grouped by function and file). Profile before
 * optimising; the .cpuprofile file opens in Chrome DevTools for a flame graph.
 */
const scenario = process.argv[2] ?? 'permissions'
if (!isScenario(scenario)) throw new Error(`scenario must be one of ${SCENARIOS.join(', ')}`)
const dir = mkdtempSync(join(tmpdir(), 'paae-profile-'))

// The compiled modules rather than the bundle: the same code, but a profile of the minified
// bundle names one file for all of it.
const [, ...flags] = emulatorArgs()
const emulator = await startProcess(
  ['--cpu-prof', `--cpu-prof-dir=${dir}`, 'dist/server/main.js', ...flags],
  '/_emulator/ready',
  join(dir, 'emulator.log'),
)
const authorization = `Bearer ${await mint(emulator, { user: 'admin@contoso.onmicrosoft.com' })}`
const chosen = scenarioLoad(scenario, emulator.base, authorization)
const result = await autocannon({ connections: 10, duration: 5, ...chosen })
console.log(`${scenario}: ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms`)
await emulator.stop()

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount: number
}
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: Node[] }
const total = profile.nodes.reduce((s, n) => s + n.hitCount, 0)
const byFunction = new Map<string, number>()
const byFile = new Map<string, number>()
for (const n of profile.nodes) {
  const where = n.callFrame.url
    .replace(/^.*node_modules\//, '')
    .replace(/^file:\/\/.*?\/(dist|server)\//, '$1/')
  const key = `${n.callFrame.functionName || '(anonymous)'} ${where}:${n.callFrame.lineNumber + 1}`
  byFunction.set(key, (byFunction.get(key) ?? 0) + n.hitCount)
  const pkg =
    where
      .split('/')
      .slice(0, where.startsWith('@') ? 2 : 1)
      .join('/') || '(native)'
  byFile.set(pkg, (byFile.get(pkg) ?? 0) + n.hitCount)
}
const top = (m: Map<string, number>, k: number) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([name, hits]) => `${((hits / total) * 100).toFixed(1).padStart(5)}%  ${name}`)
    .join('\n')
console.log(
  `\nSelf time by package or folder:\n${top(byFile, 15)}\n\nSelf time by function:\n${top(byFunction, 30)}`,
)
console.log(`\nProfile: ${join(dir, file)}`)
