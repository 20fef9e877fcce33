/**
 * The one clock every time-dependent part of the emulator reads: token lifetimes and expiry
 * checks, timestamps the API writes. Tests inject a fixed clock so results are deterministic.
 */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock that stands still at `iso` until moved with `set` or `advance`. */
export function fixedClock(iso: string): Clock & { set(iso: string): void; advance(seconds: number): void } {
  let current = new Date(iso).getTime()
  if (Number.isNaN(current)) throw new Error(`fixedClock: '${iso}' is not a valid date`)
  return {
    now: () => new Date(current),
    set: (next) => {
      current = new Date(next).getTime()
    },
    advance: (seconds) => {
      current += seconds * 1000
    },
  }
}

/**
 * The Flow service writes times with 7 fractional digits and a `Z`
 * (`2024-03-08T10:24:12.0147046Z`, flow-admin-api.md §2.2); JavaScript dates carry milliseconds,
 * so the last four digits are zeros.
 */
export function toFlowTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$10000Z')
}
