/**
 * The one clock every time-dependent part of the emulator reads: token lifetimes and expiry
 * checks, throttle windows, timestamps the API writes. Tests inject a fixed clock; the control
 * plane (`/_emulator/clock`) moves the emulator's clock at run time.
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

export interface ClockState {
  now: string
  mode: 'real' | 'offset' | 'frozen'
  offsetSeconds: number
}

/**
 * The emulator's clock over a base clock (the system's, or a test's): it can run with an offset,
 * stand frozen, or follow the base again. `reset` returns to the start-up state.
 */
export function createControllableClock(base: Clock) {
  let offsetMs = 0
  let frozenAt: number | undefined
  const now = () => new Date(frozenAt ?? base.now().getTime() + offsetMs)
  return {
    now,
    state(): ClockState {
      const mode = frozenAt !== undefined ? 'frozen' : offsetMs !== 0 ? 'offset' : 'real'
      return { now: now().toISOString(), mode, offsetSeconds: offsetMs / 1000 }
    },
    advance(seconds: number): void {
      if (frozenAt !== undefined) frozenAt += seconds * 1000
      else offsetMs += seconds * 1000
    },
    set(at: Date): void {
      if (frozenAt !== undefined) frozenAt = at.getTime()
      else offsetMs = at.getTime() - base.now().getTime()
    },
    freeze(): void {
      frozenAt = now().getTime()
    },
    /** Follows the base clock again from the current instant on, keeping the offset. */
    unfreeze(): void {
      if (frozenAt !== undefined) offsetMs = frozenAt - base.now().getTime()
      frozenAt = undefined
    },
    reset(): void {
      offsetMs = 0
      frozenAt = undefined
    },
  }
}
export type ControllableClock = ReturnType<typeof createControllableClock>

/**
 * The Flow service writes times with 7 fractional digits and a `Z`
 * (`2024-03-08T10:24:12.0147046Z`, flow-admin-api.md §2.2); JavaScript dates carry milliseconds,
 * so the last four digits are zeros.
 */
export function toFlowTimestamp(date: Date): string {
  // toISOString always ends in `.sssZ` (years 0 to 9999); slicing is cheaper than a regex on every write.
  return `${date.toISOString().slice(0, -1)}0000Z`
}
