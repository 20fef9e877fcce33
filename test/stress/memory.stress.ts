import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const CHILD = new URL('./children/memory-flood.ts', import.meta.url).pathname

/** Runs a flood in a fresh process that can force garbage collection, and returns what it measured. */
async function flood<T>(scenario: string, count: number): Promise<T> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', CHILD, scenario, String(count)],
    {
      maxBuffer: 1024 * 1024,
    },
  )
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T
}

const MiB = 1024 * 1024

describe('memory under a flood', () => {
  /**
   * The journal's bound (SECURITY.md): per entry, two bodies of at most bodyLimit bytes plus the
   * truncation note, two bytes a character at worst; the URL and Host, at most the 16 KiB of
   * headers, two bytes a character; and 1 KiB of fields.
   */
  const journalBound = (size: number, bodyLimit: number) =>
    size * (2 * 2 * (bodyLimit + 64) + 2 * 16_384 + 1024)

  it('the journal keeps only the cut text of large bodies, and a clear gives the memory back', async () => {
    // 120 rounds of three requests: a 190 KB form of 20,000 fields to Entra (no token), a 500 KB
    // JSON body with a token to modifyPermissions, the same JSON to a token endpoint (no token).
    const m = await flood<{
      journal: { size: number; bodyLimit: number }
      entries: number
      before: number
      flooded: number
      cleared: number
    }>('journal', 120)
    expect(m.entries).toBe(m.journal.size)
    const bound = journalBound(m.journal.size, m.journal.bodyLimit)
    // Before the fix the ring kept every parsed body beside its text: ~128 MB here.
    expect(m.flooded - m.before, `grew ${((m.flooded - m.before) / MiB).toFixed(1)} MiB`).toBeLessThan(bound)
    expect(m.cleared - m.before).toBeLessThan(2 * MiB)
  })

  it('a throttle window keeps at most `limit` times, and idle connections are swept', async () => {
    const m = await flood<{
      settings: { limit: number }
      calls: number
      one: number
      many: number
      windows: number
      perWindow: number
    }>('throttle', 300)
    // One connection, 300,000 calls in a window: the times of 100 calls (and the queue's slack of
    // 1,024), not 300,000 (2.4 MB and more before the bound).
    expect(m.one, `one connection: ${m.one} bytes`).toBeLessThan(256 * 1024)
    // 300,000 connections over ten window lengths: those of the last two windows at most.
    expect(m.windows).toBeLessThanOrEqual(2 * m.perWindow)
    expect(m.many, `many connections: ${(m.many / MiB).toFixed(1)} MiB`).toBeLessThan(2 * m.perWindow * 512)
  })
})
