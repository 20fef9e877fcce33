import type { Db } from '../open.ts'

/** More entries than any test or demo needs; past it the cache starts again rather than grow. */
const MAX_ENTRIES = 100_000

/**
 * A memo of rows that API calls read on every request but only the control plane changes: users
 * (the admin check), apps and environments. Any write to those tables (or a tenant removal, which
 * cascades to them) drops the whole memo. Nothing is remembered inside a transaction, so a
 * rolled-back write can never leave a row behind. Callers must not mutate what they get.
 */
export function createReadCache(db: Db) {
  let entries = new Map<string, unknown>()
  return {
    get<T>(key: string, load: () => T): T {
      if (entries.has(key)) return entries.get(key) as T
      const value = load()
      if (!db.inTransaction) {
        if (entries.size >= MAX_ENTRIES) entries = new Map()
        entries.set(key, value)
      }
      return value
    },
    invalidate(): void {
      if (entries.size > 0) entries = new Map()
    },
  }
}
export type ReadCache = ReturnType<typeof createReadCache>
