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

describe('the batched log destination', () => {
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

  describe("lines handed over to be formatted later (a request's line)", () => {
    const withLogger = (body: string) =>
      run(
        `import { pino } from 'pino'\nconst log = pino({ base: undefined, timestamp: d.timestamp }, d)\n${body}`,
      )
    const parsed = (lines: string[]) => lines.map((l) => JSON.parse(l) as { msg: string; time: number })

    it('come before any line written after them, with the time they were handed over, not the time they were formatted', () => {
      const out = withLogger(
        `log.info('first')
        const handedOver = Date.now()
        d.later(() => log.info('later'))
        const until = Date.now() + 40
        while (Date.now() < until) {}
        log.info('second')
        process.stderr.write(String(handedOver))
        process.exit(0)`,
      )
      const handedOver = Number(out.stderr)
      const [first, later, second] = parsed(out.lines)
      expect(parsed(out.lines).map((l) => l.msg)).toEqual(['first', 'later', 'second'])
      expect(later!.time - handedOver).toBeGreaterThanOrEqual(0)
      expect(later!.time - handedOver).toBeLessThan(10)
      expect(second!.time - later!.time).toBeGreaterThanOrEqual(40)
      expect(first!.time).toBeLessThanOrEqual(later!.time)
    })

    it('are all written, in order, on exit, past the number that is formatted at once', () => {
      const out = withLogger(
        `for (let i = 0; i < 1000; i++) d.later(() => log.info('line ' + i))\nprocess.exit(0)`,
      )
      expect(parsed(out.lines).map((l) => l.msg)).toEqual(Array.from({ length: 1000 }, (_, i) => `line ${i}`))
    })

    it('are written within the flush delay when nothing else is logged', () => {
      const out = withLogger(
        `d.later(() => log.info('alone'))\nsetTimeout(() => process.stdout.write('after\\n'), 200)`,
      )
      expect(out.lines).toHaveLength(2)
      expect(JSON.parse(out.lines[0]!)).toMatchObject({ msg: 'alone' })
      expect(out.lines[1]).toBe('after')
    })

    it('are formatted at close, and at once after it', () => {
      const out = withLogger(
        `d.later(() => log.info('before close'))\nd.close()\nd.later(() => log.info('after close'))\nprocess.stdout.write('then\\n')\nprocess.exit(0)`,
      )
      expect(out.lines.map((l) => (l.startsWith('{') ? (JSON.parse(l) as { msg: string }).msg : l))).toEqual([
        'before close',
        'after close',
        'then',
      ])
    })
  })

  it('after close, writes each line straight away and still flushes it on exit', () => {
    const out = run(`d.write('before\\n')\nd.close()\nd.write('after close\\n')\nprocess.exit(0)`)
    expect(out.lines).toEqual(['before', 'after close'])
  })
})
