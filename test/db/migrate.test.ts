import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'

import { loadMigrations, migrate } from '../../db/migrate.ts'
import { isReadOnly, openDatabase } from '../../db/open.ts'

describe('migrations', () => {
  it('bring an empty database to the latest version, once', () => {
    const db = openDatabase(':memory:')
    const latest = loadMigrations().length
    expect(migrate(db)).toBe(latest)
    expect(db.pragma('user_version', { simple: true })).toBe(latest)
    expect(migrate(db)).toBe(latest)
    db.close()
  })

  it('create STRICT tables with foreign keys enforced', () => {
    const db = openDatabase(':memory:')
    migrate(db)
    const tables = db
      .prepare<[], { name: string; strict: number }>(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'",
      )
      .all()
    expect(tables.length).toBeGreaterThan(5)
    for (const table of tables) expect(table.strict, table.name).toBe(1)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(() =>
      db
        .prepare(
          "INSERT INTO environments (name, tenant_id, display_name, is_default, location, created_time) VALUES ('e', 'missing', 'x', 0, 'l', 't')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/)
    db.close()
  })

  it('bring the in-memory copy of an older database on read-only storage up to date, and keep it read-only', () => {
    // What openDatabase serves a file on read-only storage from: its image, in memory, query_only.
    const older = openDatabase(':memory:')
    migrate(older, loadMigrations().slice(0, 4))
    const db = new Database(older.serialize())
    older.close()
    db.pragma('query_only = ON')
    const latest = loadMigrations().length
    expect(migrate(db)).toBe(latest)
    expect(db.pragma('user_version', { simple: true })).toBe(latest)
    expect(isReadOnly(db)).toBe(true)
    expect(() => db.exec("INSERT INTO meta (key, value) VALUES ('k', 'v')")).toThrow(/readonly/)
    db.close()
  })

  it('refuse a database written by a newer emulator', () => {
    const db = openDatabase(':memory:')
    db.pragma('user_version = 99')
    expect(() => migrate(db)).toThrow(/schema version 99, newer than this emulator supports/)
    db.close()
  })

  it('leave the database unchanged when a migration fails', () => {
    const db = openDatabase(':memory:')
    const broken = [
      ...loadMigrations(),
      {
        version: 2,
        file: '0002-broken.sql',
        sql: 'CREATE TABLE oops (x TEXT) STRICT; SELECT * FROM nowhere;',
      },
    ]
    expect(() => migrate(db, broken)).toThrow(/no such table/)
    expect(db.pragma('user_version', { simple: true })).toBe(0)
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 })
    db.close()
  })
})
