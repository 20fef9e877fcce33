import type { Db } from '../open.ts'

/** More entries than any test or demo needs; past it a memo starts again rather than grow. */
const MAX_ENTRIES = 100_000

/**
 * Tells whether the database may have changed since it last looked. SQLite's `total_changes()`
 * counts every row written on this connection, foreign-key cascades and raw SQL included, and never
 * goes down, so a write that was rolled back still moves it. `PRAGMA data_version` moves when
 * another connection commits to the same file. Both are read by a prepared statement, not by
 * parsing any SQL, so no write path, present or future, can slip past them.
 */
export function createChangeWatch(db: Db) {
  const totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck()
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck()
  return {
    /**
     * A memo of reads, valid while the database is unchanged: `remember(key, load)` is `load()`'s
     * result for `key`, remembered until the next write of any row. Nothing is remembered or served
     * inside a transaction, whose writes could still be rolled back. Callers share the values it
     * hands out and must not change them (the repositories type them read-only).
     */
    memo<V>() {
      const entries = new Map<string, V>()
      let changes = -1
      let version = -1
      return (key: string, load: () => V): V => {
        if (db.inTransaction) return load()
        const nowChanges = totalChanges.get()!
        const nowVersion = dataVersion.get()!
        if (nowChanges !== changes || nowVersion !== version) {
          entries.clear()
          changes = nowChanges
          version = nowVersion
        }
        let value = entries.get(key)
        if (value === undefined && !entries.has(key)) {
          value = load()
          if (entries.size >= MAX_ENTRIES) entries.clear()
          entries.set(key, value)
        }
        return value as V
      }
    },
  }
}
export type ChangeWatch = ReturnType<typeof createChangeWatch>

/**
 * One memo key from several strings, unambiguous whatever they contain. Keys are exact: a name in
 * another case is another entry (SQLite's NOCASE folds only ASCII, so folding here could conflate
 * rows SQLite keeps apart).
 */
export function keyOf(...parts: string[]): string {
  let key = ''
  for (const part of parts) key += `${part.length}:${part}`
  return key
}
