/**
 * Request traffic at a glance, for the dashboard's overview: the requests of the last minute of
 * the emulator's clock, and how many answered 4xx, 429 and 5xx since start or the last full reset.
 * The journal keeps only its last entries (or none, with `--journal-size 0`), so the figures are
 * counted here as each request ends, in constant memory: one counter per second of the last minute.
 */

import type { Traffic } from '../../schemas/control.ts'

export type { Traffic }

const WINDOW_SECONDS = 60

export function createTraffic(now: () => Date) {
  /** Requests per second of the clock (epoch seconds), for the seconds of the current window. */
  const perSecond = new Map<number, number>()
  let since = now()
  let requests = 0
  let clientErrors = 0
  let throttled = 0
  let serverErrors = 0

  /** The window is this second and the 59 before; a clock moved back leaves later seconds out too. */
  const inWindow = (second: number, current: number) => second > current - WINDOW_SECONDS && second <= current

  return {
    /** One request that started at `startedMs` (emulator clock) and answered `status`. */
    record(startedMs: number, status: number): void {
      const second = Math.floor(startedMs / 1000)
      const count = perSecond.get(second)
      if (count === undefined) {
        // A new second: those that left the window go, so at most a minute of counters stays.
        const current = Math.floor(now().getTime() / 1000)
        for (const key of perSecond.keys()) if (!inWindow(key, current)) perSecond.delete(key)
      }
      perSecond.set(second, (count ?? 0) + 1)
      requests++
      if (status >= 400 && status < 500) clientErrors++
      if (status === 429) throttled++
      if (status >= 500) serverErrors++
    },
    report(): Traffic {
      const at = now()
      const current = Math.floor(at.getTime() / 1000)
      let requestsPerMinute = 0
      for (const [second, count] of perSecond) if (inWindow(second, current)) requestsPerMinute += count
      return {
        now: at.toISOString(),
        since: since.toISOString(),
        requestsPerMinute,
        requests,
        clientErrors,
        throttled,
        serverErrors,
      }
    },
    /** Forgets everything and counts from now on (a full reset). */
    clear(): void {
      perSecond.clear()
      since = now()
      requests = clientErrors = throttled = serverErrors = 0
    },
  }
}
export type TrafficCounter = ReturnType<typeof createTraffic>
