import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'

import Database from 'better-sqlite3'

export type Db = Database.Database

/**
 * Opens (creating if needed) the database at `path`; `:memory:` gives an ephemeral one. An
 * existing database that cannot be opened for writing (a read-only file or file system) is
 * opened read-only instead: the emulator then serves reads, and every write gets a clear 503.
 */
export function openDatabase(path: string): Db {
  if (path === ':memory:') {
    const db = new Database(path)
    db.pragma('foreign_keys = ON')
    return db
  }
  mkdirSync(dirname(path), { recursive: true })
  try {
    const db = new Database(path)
    db.pragma('foreign_keys = ON')
    // WAL lets readers proceed during a write; synchronous=NORMAL is durable across process
    // crashes in WAL mode, which is the failure an emulator has to survive.
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('busy_timeout = 5000')
    return db
  } catch (error) {
    const code = (error as { code?: string }).code ?? ''
    if (!existsSync(path) || !/^SQLITE_(CANTOPEN|READONLY)/.test(code)) throw error
    return openReadOnlyCopy(path)
  }
}

/**
 * SQLite cannot open a WAL database on read-only storage (it needs to create the -shm file), so
 * the file is read into memory and served from there, with writes refused (`query_only`, which
 * fails them with SQLITE_READONLY). The header's WAL marks (bytes 18 and 19, https://sqlite.org/fileformat.html)
 * are set back to the rollback journal's for the in-memory copy; the file itself is untouched.
 * A clean shutdown has folded the WAL into the file; after a crash its last writes are not seen.
 */
function openReadOnlyCopy(path: string): Db {
  const image = readFileSync(path)
  if (image[18] === 2) image[18] = 1
  if (image[19] === 2) image[19] = 1
  const db = new Database(image)
  db.pragma('foreign_keys = ON')
  db.pragma('query_only = ON')
  return db
}

/** True when the database refuses writes (opened from read-only storage, see openDatabase). */
export const isReadOnly = (db: Db): boolean => db.pragma('query_only', { simple: true }) === 1
