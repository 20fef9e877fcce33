import type { RunResult } from 'better-sqlite3'

import type { Db } from '../open.ts'

/** More entries than any test or demo needs; past it a memo starts again rather than grow. */
const MAX_ENTRIES = 100_000

/** The tables a memo reads, and the ones a repository's write can name as the only one it wrote. */
export type Table = 'users' | 'apps' | 'environments' | 'flows' | 'flow_permissions' | 'connections'

/**
 * Tells whether the tables a memo reads may have changed since it last looked.
 *
 * Any change is seen: SQLite's `total_changes()` counts every row written on this connection,
 * foreign-key cascades and raw SQL included, and never goes down, so a write that was rolled back
 * still moves it; `PRAGMA data_version` moves when another connection commits to the same file.
 * Both are read by a prepared statement, not by parsing any SQL, so no write path, present or
 * future, can slip past them.
 *
 * A write made through `wrote(table, ...)` is also counted against its table when the count of
 * every row the connection changed moved by exactly the statement's own rows, that is when no
 * cascade or trigger wrote anywhere else. A memo forgets on a change it cannot account for as
 * writes to tables it does not read; so granting a permission keeps the remembered flows,
 * environments and users, while anything else (a raw statement, a cascade, a write no repository
 * names, another connection's commit) forgets every memo.
 */
export function createChangeWatch(db: Db) {
  const totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck()
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck()
  // Reading `data_version` of a file locks the database's shared memory (WAL): a few µs, as much
  // as a memo saves, and a request consults several memos. So one reading serves every memo until
  // the current task's microtasks run: what is served in that span is what the file held at the
  // reading, as if a commit that another connection made within it had come just after. Writes on
  // this connection are seen at once, by `total_changes()`. An in-memory database has no other
  // connection.
  let versionThisTask: number | undefined
  const taskEnded = () => {
    versionThisTask = undefined
  }
  const otherConnectionsVersion = db.memory
    ? () => 0
    : () => {
        if (versionThisTask === undefined) {
          versionThisTask = dataVersion.get()!
          queueMicrotask(taskEnded)
        }
        return versionThisTask
      }
  // Rows changed by writes that changed their table only: in all, and per table.
  let attributed = 0
  const attributedTo: Record<Table, number> = {
    users: 0,
    apps: 0,
    environments: 0,
    flows: 0,
    flow_permissions: 0,
    connections: 0,
  }
  return {
    /**
     * Runs `write`, a statement that changes rows of `table`, and counts its rows against that
     * table when it changed nothing else. A repository names its hot writes this way; an unnamed
     * write is still seen, and forgets every memo.
     */
    wrote(table: Table, write: () => RunResult): RunResult {
      const before = totalChanges.get()!
      const result = write()
      if (totalChanges.get()! - before === result.changes) {
        attributed += result.changes
        attributedTo[table] += result.changes
      }
      return result
    },
    /**
     * A memo of what is read from `tables`, valid while they are unchanged: `remember(key, load)`
     * is `load()`'s result for `key`, remembered until a change the watch cannot show to be
     * elsewhere. Nothing is remembered or served inside a transaction, whose writes could still be
     * rolled back. Callers share the values it hands out and must not change them (the
     * repositories type them read-only).
     */
    memo<V>(tables: readonly Table[]) {
      const entries = new Map<string, V>()
      const ownWrites = () => tables.reduce((sum, table) => sum + attributedTo[table], 0)
      let changes = -1
      let version = -1
      let seenAttributed = 0
      let seenOwn = 0
      return (key: string, load: () => V): V => {
        if (db.inTransaction) return load()
        const nowChanges = totalChanges.get()!
        const nowVersion = otherConnectionsVersion()
        if (nowChanges !== changes || nowVersion !== version) {
          const own = ownWrites()
          const elsewhereOnly =
            nowVersion === version && nowChanges - changes === attributed - seenAttributed && own === seenOwn
          if (!elsewhereOnly) entries.clear()
          changes = nowChanges
          version = nowVersion
          seenAttributed = attributed
          seenOwn = own
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
