/**
 * A sliding-window counter per key (a connection): at most `limit` counted calls in any
 * `windowSeconds`. It reads the time it is given, so the emulator's clock drives it.
 *
 * EMULATOR: inferred (flow-admin-api.md §5.2): Azure API Management's rate-limit policy is a
 * sliding window in which rejected calls count too, so a client that keeps hammering stays
 * throttled; `countRejected: false` counts accepted calls only.
 */

export interface ThrottleSettings {
  enabled: boolean
  limit: number
  windowSeconds: number
  countRejected: boolean
}

export type ThrottleDecision =
  | { allowed: true; limit: number; remaining: number; resetSeconds: number }
  | { allowed: false; limit: number; remaining: 0; retryAfterSeconds: number; resetSeconds: number }

export interface ConnectionUsage {
  key: string
  used: number
  remaining: number
  resetSeconds: number
  lastThrottledAt: number | undefined
}

/**
 * Call times, oldest first. Expired times are dropped by moving a read index, not by copying the
 * rest of the array on every call (which cost O(calls in the window) per request); the
 * array is compacted once most of it is dropped.
 */
class TimeQueue {
  #items: number[] = []
  #head = 0
  get length(): number {
    return this.#items.length - this.#head
  }
  at(index: number): number | undefined {
    return index < 0 ? undefined : this.#items[this.#head + index]
  }
  push(time: number): void {
    this.#items.push(time)
  }
  /** Drops the oldest time. */
  dropOldest(): void {
    if (this.#head < this.#items.length) this.#head++
  }
  /** Drops the times at or before `cutoff`. */
  dropUntil(cutoff: number): void {
    while (this.#head < this.#items.length && this.#items[this.#head]! <= cutoff) this.#head++
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
  }
}

interface Window {
  /** Times (ms) of the newest `limit` counted calls, oldest first. */
  calls: TimeQueue
  /**
   * The counted calls pushed out of `calls` by newer ones (rejected calls that count), for `used`:
   * one `[time of the newest, count]` per second, oldest first, so at most a window's seconds.
   * An entry leaves with its newest call, so `used` may count a call up to a second longer.
   */
  older: [number, number][]
  lastThrottledAt: number | undefined
}

/**
 * Memory stays bounded under a flood: a window keeps at most `limit` times (only the newest
 * `limit` decide anything, and a rejected call that counts pushes out the oldest), and windows
 * with no call in the last window length are swept once per window length, so what is kept
 * follows the connections used in the last minute, not every key ever seen.
 */
export function createSlidingWindowLimiter(initial: ThrottleSettings) {
  let settings = { ...initial }
  const windows = new Map<string, Window>()
  let lastSweep = Number.NEGATIVE_INFINITY

  const windowMs = () => settings.windowSeconds * 1000

  function prune(window: Window, now: number): void {
    const cutoff = now - windowMs()
    window.calls.dropUntil(cutoff)
    while (window.older.length > 0 && window.older[0]![0] <= cutoff) window.older.shift()
  }

  /** Moves the oldest kept call to `older`. */
  function pushOut(window: Window): void {
    const time = window.calls.at(0)!
    window.calls.dropOldest()
    const last = window.older.at(-1)
    if (last && Math.floor(last[0] / 1000) === Math.floor(time / 1000)) {
      last[0] = time
      last[1]++
    } else window.older.push([time, 1])
  }

  /** Calls counted in the window: those kept and those pushed out that are still in it. */
  function used(window: Window): number {
    let count = window.calls.length
    for (const [, n] of window.older) count += n
    return count
  }

  /** Forgets the windows with no call in the last window length. */
  function sweep(now: number): void {
    lastSweep = now
    const cutoff = now - windowMs()
    for (const [key, window] of windows) {
      const newest = window.calls.at(window.calls.length - 1)
      if (newest === undefined || newest <= cutoff) windows.delete(key)
    }
  }

  /** Seconds until the window holds fewer than `limit` calls again, at least 1. */
  function secondsUntilFree(window: Window, now: number): number {
    const blocking = window.calls.at(window.calls.length - settings.limit)
    if (blocking === undefined) return 0
    return Math.max(1, Math.ceil((blocking + windowMs() - now) / 1000))
  }

  /** Seconds until the oldest counted call leaves the window (for RateLimit-Reset). */
  function resetSeconds(window: Window, now: number): number {
    const oldest = window.calls.at(0)
    return oldest === undefined ? 0 : Math.max(1, Math.ceil((oldest + windowMs() - now) / 1000))
  }

  return {
    /** Counts one call for `key` at `now` (ms) and says whether it may proceed. */
    hit(key: string, now: number): ThrottleDecision {
      const { limit } = settings
      if (!settings.enabled) return { allowed: true, limit, remaining: limit, resetSeconds: 0 }
      if (now - lastSweep >= windowMs()) sweep(now)
      let window = windows.get(key)
      if (!window) {
        window = { calls: new TimeQueue(), older: [], lastThrottledAt: undefined }
        windows.set(key, window)
      }
      prune(window, now)
      if (window.calls.length < limit) {
        window.calls.push(now)
        return {
          allowed: true,
          limit,
          remaining: limit - window.calls.length,
          resetSeconds: resetSeconds(window, now),
        }
      }
      if (settings.countRejected) {
        window.calls.push(now)
        while (window.calls.length > limit) pushOut(window)
      }
      window.lastThrottledAt = now
      return {
        allowed: false,
        limit,
        remaining: 0,
        retryAfterSeconds: secondsUntilFree(window, now),
        resetSeconds: resetSeconds(window, now),
      }
    },
    usage(now: number): ConnectionUsage[] {
      const result: ConnectionUsage[] = []
      for (const [key, window] of windows) {
        prune(window, now)
        if (window.calls.length === 0 && window.lastThrottledAt === undefined) {
          windows.delete(key)
          continue
        }
        const counted = used(window)
        result.push({
          key,
          used: counted,
          remaining: Math.max(0, settings.limit - counted),
          resetSeconds: resetSeconds(window, now),
          lastThrottledAt: window.lastThrottledAt,
        })
      }
      return result
    },
    settings: () => ({ ...settings }),
    /** How many windows are kept (for the memory tests). */
    size: () => windows.size,
    configure(next: Partial<ThrottleSettings>): void {
      settings = { ...settings, ...next }
    },
    /** Forgets every window, or those whose key `predicate` picks. */
    reset(predicate?: (key: string) => boolean): void {
      if (!predicate) windows.clear()
      else for (const key of [...windows.keys()]) if (predicate(key)) windows.delete(key)
    },
  }
}
export type SlidingWindowLimiter = ReturnType<typeof createSlidingWindowLimiter>
