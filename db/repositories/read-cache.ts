import type { Statement } from 'better-sqlite3'

import type { Db } from '../open.ts'

/** More entries per table than any test or demo needs; past it that table's memo starts again rather than grow. */
const MAX_ENTRIES = 100_000

/** The table an INSERT, REPLACE, UPDATE or DELETE writes; undefined for anything else. */
const WRITTEN_TABLE =
  /^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+["`[]?(\w+)/i

/**
 * A memo of query results, kept per table, for the rows every API call reads (the caller's user or
 * app, the environment, the flow, its permissions). Correctness does not rest on each repository
 * remembering to invalidate: every statement is prepared through `prepare` here, and each writing
 * one forgets the memo of the table it writes and of every table whose rows a foreign key cascades
 * from it (read from the schema, so a new table or key needs no change here). Nothing is
 * remembered inside a transaction, so a rolled-back write can never leave a row behind. Results
 * are frozen: a caller that tried to change a shared row would throw instead of corrupting
 * what the next request reads.
 */
export function createReadCache(db: Db) {
  const memos = new Map<string, Map<string, unknown>>()
  let cascades: Map<string, string[]> | undefined

  /** The table itself and, transitively, every table with a foreign key to it. */
  function affectedBy(table: string): string[] {
    cascades ??= cascadeGraph(db)
    return cascades.get(table.toLowerCase()) ?? [table.toLowerCase()]
  }

  function forget(tables: readonly string[] | undefined): void {
    if (tables === undefined) memos.clear()
    else for (const table of tables) memos.get(table)?.clear()
  }

  return {
    /** `load()`'s result for `key` among the rows of `table`, remembered until that table is written. */
    remember<T>(table: string, key: string, load: () => T): T {
      let memo = memos.get(table)
      if (memo === undefined) memos.set(table, (memo = new Map<string, unknown>()))
      if (memo.has(key)) return memo.get(key) as T
      const value = deepFreeze(load())
      if (!db.inTransaction) {
        if (memo.size >= MAX_ENTRIES) memo.clear()
        memo.set(key, value)
      }
      return value
    },
    /** `db.prepare`, with writing statements made to forget what they change. */
    prepare<P extends unknown[] | object = unknown[], R = unknown>(source: string): Statement<P, R> {
      const statement = db.prepare<P, R>(source)
      const table = WRITTEN_TABLE.exec(source)?.[1]
      // A write is known by its verb, not by `reader`: INSERT ... RETURNING is a reader too.
      if (statement.reader && table === undefined) return statement
      let tables: string[] | undefined
      // An unrecognised write (none today) forgets everything rather than guess.
      const forgetWritten = () => forget(table === undefined ? undefined : (tables ??= affectedBy(table)))
      const methods = statement as unknown as Record<'run' | 'get' | 'all', (...params: unknown[]) => unknown>
      for (const method of ['run', 'get', 'all'] as const) {
        const original = methods[method].bind(statement)
        methods[method] = (...params: unknown[]) => {
          try {
            return original(...params)
          } finally {
            forgetWritten()
          }
        }
      }
      return statement
    },
    /** Forgets everything: for code that writes with raw SQL (tests). */
    invalidate(): void {
      memos.clear()
    },
  }
}
/** What repositories prepare their statements through. */
export type Sql = ReturnType<typeof createReadCache>

/** For each table, itself and every table reachable from it through foreign keys pointing at it. */
function cascadeGraph(db: Db): Map<string, string[]> {
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'")
    .all()
    .map((t) => t.name.toLowerCase())
  const children = new Map<string, string[]>(tables.map((t) => [t, []]))
  for (const child of tables) {
    for (const key of db.pragma(`foreign_key_list("${child}")`) as { table: string }[]) {
      children.get(key.table.toLowerCase())?.push(child)
    }
  }
  const graph = new Map<string, string[]>()
  for (const table of tables) {
    const reached = new Set([table])
    for (const t of reached) for (const c of children.get(t) ?? []) reached.add(c)
    graph.set(table, [...reached])
  }
  return graph
}

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

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const inner of Object.values(value)) deepFreeze(inner)
  }
  return value
}
