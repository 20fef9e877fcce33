import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

import Database from 'better-sqlite3'

export type Db = Database.Database

/** Opens (creating if needed) the database at `path`; `:memory:` gives an ephemeral one. */
export function openDatabase(path: string): Db {
  const inMemory = path === ':memory:'
  if (!inMemory) mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path)
  db.pragma('foreign_keys = ON')
  if (!inMemory) {
    // WAL lets readers proceed during a write; synchronous=NORMAL is durable across process
    // crashes in WAL mode, which is the failure an emulator has to survive.
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('busy_timeout = 5000')
  }
  return db
}
