import { describe, expect, it } from 'vitest'

import { createSlidingWindowLimiter } from '../../server/throttle/sliding-window.ts'

const settings = { enabled: true, limit: 3, windowSeconds: 10, countRejected: true }

describe('the sliding window limiter', () => {
  it('decides as if every counted call were kept, while it keeps only the newest `limit`', () => {
    const limiter = createSlidingWindowLimiter(settings)
    const decisions = [0, 1, 2, 3, 4, 5].map((s) => limiter.hit('k', s * 1000).allowed)
    expect(decisions).toEqual([true, true, true, false, false, false])
    // Rejected calls count: at 12 s the calls at 4, 5 and 12 s fill the window, until 14 s...
    expect(limiter.hit('k', 12_000)).toMatchObject({ allowed: false, retryAfterSeconds: 2 })
    // ...and at 13.5 s those at 5, 12 and 13.5 s, until 15 s.
    expect(limiter.hit('k', 13_500)).toMatchObject({ allowed: false, retryAfterSeconds: 2 })
    expect(limiter.hit('k', 15_001).allowed).toBe(true)
  })

  it('reports as used every counted call in the window, rejected ones too, past the limit it keeps', () => {
    const limiter = createSlidingWindowLimiter(settings)
    for (let i = 0; i < 104; i++) limiter.hit('k', 1000 + i * 10)
    expect(limiter.usage(2100)).toMatchObject([{ key: 'k', used: 104, remaining: 0 }])
    // The calls leave the window as their time passes: those of 1.0 to 1.99 s at 11.99 s...
    expect(limiter.usage(11_995)).toMatchObject([{ used: 4 }])
    // ...the last four (2.00 to 2.03 s), kept, each at its own time.
    expect(limiter.usage(12_015)).toMatchObject([{ used: 2, remaining: 1 }])
    const accepted = createSlidingWindowLimiter({ ...settings, countRejected: false })
    for (let i = 0; i < 104; i++) accepted.hit('k', 1000 + i * 10)
    expect(accepted.usage(2100)).toMatchObject([{ used: 3, remaining: 0 }])
  })

  it('sweeps the windows of connections idle for a window length', () => {
    const limiter = createSlidingWindowLimiter(settings)
    for (let i = 0; i < 1000; i++) limiter.hit(`connection:${i}`, 0)
    expect(limiter.size()).toBe(1000)
    limiter.hit('connection:new', 10_001)
    expect(limiter.size()).toBe(1)
  })
})
