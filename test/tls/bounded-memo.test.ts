import { describe, expect, it, vi } from 'vitest'

import { boundedMemo } from '../../server/tls/bounded-memo.ts'

describe('boundedMemo', () => {
  it('computes a key once, and starts again past its limit rather than grow', () => {
    const remember = boundedMemo<string>(2)
    const compute = vi.fn((key: string) => key.toUpperCase())
    expect(remember('a', () => compute('a'))).toBe('A')
    expect(remember('a', () => compute('a'))).toBe('A')
    expect(compute).toHaveBeenCalledTimes(1)
    remember('b', () => compute('b'))
    // A third key: the memo starts again with it alone, so 'a' is computed anew.
    remember('c', () => compute('c'))
    remember('c', () => compute('c'))
    remember('a', () => compute('a'))
    expect(compute.mock.calls.map(([key]) => key)).toEqual(['a', 'b', 'c', 'a'])
  })

  it('remembers nothing for a computation that throws', () => {
    const remember = boundedMemo<string>(10)
    expect(() =>
      remember('bad', () => {
        throw new Error('no')
      }),
    ).toThrow('no')
    expect(remember('bad', () => 'fine')).toBe('fine')
  })
})
