import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

import { type Db, isReadOnly } from './open.ts'
import { PACKAGE_ROOT } from './package-root.ts'

const MIGRATIONS_DIR = pathToFileURL(join(PACKAGE_ROOT, 'db', 'migrations') + '/')

interface Migration {
  version: number
  file: string
  sql: string
}

/** The migrations shipped with this build, ordered; file names are `NNNN-description.sql`. */
export function loadMigrations(): Migration[] {
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'))
  const migrations = files
    .map((file) => {
      const match = /^(\d{4})-[\w-]+\.sql$/.exec(file)
      if (!match?.[1]) throw new Error(`Migration file '${file}' must be named NNNN-description.sql`)
      return { version: Number(match[1]), file, sql: readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8') }
    })
    .sort((a, b) => a.version - b.version)
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`Migrations must be numbered 1, 2, 3...; found '${m.file}' at position ${i + 1}`)
  })
  return migrations
}

/**
 * Brings the schema to the latest version, tracked in `PRAGMA user_version`. Pending migrations
 * run in one transaction: a failure leaves the database as it was. They run with foreign keys off,
 * as SQLite's way of rebuilding a table needs (https://www.sqlite.org/lang_altertable.html#otheralter:
 * dropping the old table must not cascade), and every key is checked before the commit: a
 * migration that leaves a dangling reference fails. A database written by a newer
 * emulator is refused rather than misread. A database on read-only storage is served from an
 * in-memory copy (open.ts): that copy is brought up to date, the file is left as it is, and
 * writes stay refused.
 */
export function migrate(db: Db, migrations: Migration[] = loadMigrations()): number {
  const current = db.pragma('user_version', { simple: true }) as number
  const latest = migrations.length
  if (current > latest) {
    throw new Error(
      `The database is at schema version ${current}, newer than this emulator supports (${latest}). Use a newer emulator or another --db.`,
    )
  }
  const pending = migrations.filter((m) => m.version > current)
  if (pending.length === 0) return current
  const readOnlyCopy = db.memory && isReadOnly(db)
  if (readOnlyCopy) db.pragma('query_only = OFF')
  // Outside the transaction: inside one, SQLite ignores the pragma.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number
  db.pragma('foreign_keys = OFF')
  try {
    db.transaction(() => {
      for (const m of pending) db.exec(m.sql)
      const dangling = db.pragma('foreign_key_check') as { table: string; parent: string }[]
      if (dangling.length > 0) {
        const { table, parent } = dangling[0]!
        throw new Error(
          `Migrating the database left ${dangling.length} row(s) referring to missing rows (first: ${table} -> ${parent})`,
        )
      }
      db.pragma(`user_version = ${latest}`)
    })()
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys}`)
    if (readOnlyCopy) db.pragma('query_only = ON')
  }
  return latest
}
