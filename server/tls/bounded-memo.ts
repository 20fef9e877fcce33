/**
 * Results remembered by key, for the few certificates and PFX files every seed and reset reads
 * again. Past `limit` entries the memo starts again rather than grow.
 */
export function boundedMemo<T>(limit: number) {
  const memo = new Map<string, T>()
  return (key: string, compute: () => T): T => {
    let value = memo.get(key)
    if (value === undefined) {
      value = compute()
      if (memo.size >= limit) memo.clear()
      memo.set(key, value)
    }
    return value
  }
}
