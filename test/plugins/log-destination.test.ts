import { spawnSync } from 'node:child_process'

import { describe, expect, it } from 'vitest'

const MODULE = new URL('../../server/log-destination.ts', import.meta.url).href

/** Runs `body` in a fresh Node process with a BatchedLogDestination `d` on its stdout. */
function run(body: string) {
  const script = `import { BatchedLogDestination } from '${MODULE}'\nconst d = new BatchedLogDestination()\n${body}`
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  })
  return { status: result.status, lines: result.stdout.split('\n').filter(Boolean), stderr: result.stderr }
}

describe('the batched log destination (issue 8)', () => {
  it('writes every line, in order, in chunks and on exit, when the process exits without closing anything', () => {
    // About 50 KB: several full chunks, then a remainder that only the exit flush writes.
    const out = run(`for (let i = 0; i < 5000; i++) d.write('line ' + i + '\\n')\nprocess.exit(0)`)
    expect(out.stderr).toBe('')
    expect(out.status).toBe(0)
    expect(out.lines).toEqual(Array.from({ length: 5000 }, (_, i) => `line ${i}`))
  })

  it('keeps lines whole and in order across chunks: non-ASCII text, and a line longer than a chunk', () => {
    const out = run(
      `for (let i = 0; i < 2000; i++) d.write(i === 1000 ? 'x'.repeat(40000) + '\\n' : 'línea ' + i + ' ✓ 😀\\n')\nprocess.exit(0)`,
    )
    expect(out.lines).toEqual(
      Array.from({ length: 2000 }, (_, i) => (i === 1000 ? 'x'.repeat(40000) : `línea ${i} ✓ 😀`)),
    )
  })

  it('writes a lone line within its flush delay, with the process left to end on its own', () => {
    const out = run(`d.write('alone\\n')\nsetTimeout(() => process.stdout.write('after\\n'), 200)`)
    // Were it left for the exit flush, it would come after 'after'.
    expect(out.lines).toEqual(['alone', 'after'])
  })

  it('after close, writes each line straight away and still flushes it on exit', () => {
    const out = run(`d.write('before\\n')\nd.close()\nd.write('after close\\n')\nprocess.exit(0)`)
    expect(out.lines).toEqual(['before', 'after close'])
  })
})
