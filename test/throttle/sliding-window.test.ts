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

  it('sweeps the windows of connections idle for a window length', () => {
    const limiter = createSlidingWindowLimiter(settings)
    for (let i = 0; i < 1000; i++) limiter.hit(`connection:${i}`, 0)
    expect(limiter.size()).toBe(1000)
    limiter.hit('connection:new', 10_001)
    expect(limiter.size()).toBe(1)
  })
})
