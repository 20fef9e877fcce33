import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'

import { loadMigrations, migrate } from '../../db/migrate.ts'
import { isReadOnly, openDatabase } from '../../db/open.ts'
import { createRepositories } from '../../db/repositories/index.ts'
import { createKeyRing } from '../../server/auth/key-ring.ts'
import { DEFAULT_JOURNAL, DEFAULT_THROTTLE } from '../../server/app.ts'
import { createIssuers } from '../../server/auth/issuers.ts'
import { createControllableClock, systemClock } from '../../server/clock.ts'
import { DEMO_FIXTURES_PATH, loadFixtureFile } from '../../server/fixtures.ts'
import { cryptoRandom } from '../../server/random.ts'
import { createRuntime, createStateService } from '../../server/state/state-service.ts'
import { CONTOSO } from '../helpers/demo.ts'

function seedDemo(db: ReturnType<typeof openDatabase>): void {
  const repos = createRepositories(db)
  const keys = createKeyRing(repos.tenants)
  const clock = createControllableClock(systemClock)
  const issuers = createIssuers(undefined)
  const runtime = createRuntime({
    ...{ keys, clock, random: cryptoRandom, issuers },
    ...{ throttle: DEFAULT_THROTTLE, journal: DEFAULT_JOURNAL },
  })
  createStateService({
    repos,
    keys,
    clock,
    random: cryptoRandom,
    fixtures: loadFixtureFile(DEMO_FIXTURES_PATH),
    runtime,
  }).seedInitial()
}

/** Copies every row of `from` into the same tables of `to`, in the columns `to` has. */
function copyRows(from: ReturnType<typeof openDatabase>, to: ReturnType<typeof openDatabase>): void {
  const tables = to
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .all()
  to.pragma('foreign_keys = OFF')
  for (const { name } of tables) {
    const columns = to.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${name}')`).all()
    const list = columns.map((c) => `"${c.name}"`).join(', ')
    const insert = to.prepare(`INSERT INTO "${name}" (${list}) VALUES (${columns.map(() => '?').join(', ')})`)
    for (const row of from.prepare(`SELECT ${list} FROM "${name}"`).raw().all()) insert.run(row)
  }
  to.pragma('foreign_keys = ON')
}

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

  it('rebuild tables (0006) keeping every row, the foreign keys and the constraints', () => {
    // The demo tenant as today's repositories seed it, copied into a database at version 5.
    const seeded = openDatabase(':memory:')
    migrate(seeded)
    seedDemo(seeded)
    const db = openDatabase(':memory:')
    const upTo0006 = loadMigrations().slice(0, 6)
    migrate(db, upTo0006.slice(0, 5))
    copyRows(seeded, db)
    seeded.close()
    db.prepare(
      "INSERT INTO oauth_grants (kind, id, tenant_id, data, expires_at) VALUES ('refresh', 'r1', ?, '{}', 1)",
    ).run(CONTOSO.tenantId)
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .all()
      .map((t) => t.name)
    const everyRow = () =>
      Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).all()]))
    const before = everyRow()
    expect(before['flow_permissions']!.length).toBeGreaterThan(5)
    expect(before['flows']!.length).toBeGreaterThan(3)

    expect(migrate(db, upTo0006)).toBe(6)
    // Dropping the old tables cascaded to nothing: every row of every table is still there.
    expect(everyRow()).toEqual(before)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    const schema = (d: typeof db) =>
      d
        .prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
        .all()
    const fresh = openDatabase(':memory:')
    migrate(fresh, upTo0006)
    expect(schema(db)).toEqual(schema(fresh))
    fresh.close()

    const flow = db
      .prepare<[], { environment: string; name: string }>('SELECT environment, name FROM flows')
      .get()!
    const grant = db.prepare(
      "INSERT INTO flow_permissions (environment, flow, principal_id, principal_type, role_name) VALUES (?, ?, 'p', ?, ?)",
    )
    expect(() => grant.run(flow.environment, flow.name, 'Robot', 'CanView')).toThrow(
      /CHECK constraint failed/,
    )
    expect(() => grant.run(flow.environment, flow.name, 'User', 'Boss')).toThrow(/CHECK constraint failed/)
    expect(() => grant.run(flow.environment, 'no-such-flow', 'User', 'CanView')).toThrow(/FOREIGN KEY/)
    expect(() => db.prepare("UPDATE flows SET state = 'Paused'").run()).toThrow(/CHECK constraint failed/)
    expect(() =>
      db
        .prepare("INSERT INTO oauth_grants (kind, id, data, expires_at) VALUES ('ticket', 'x', '{}', 1)")
        .run(),
    ).toThrow(/CHECK constraint failed/)
    // The rebuilt children point at the rebuilt parents: deleting a flow still takes its permissions.
    db.prepare('DELETE FROM flows WHERE environment = ? AND name = ?').run(flow.environment, flow.name)
    const left = db
      .prepare('SELECT count(*) AS n FROM flow_permissions WHERE environment = ? AND flow = ?')
      .get(flow.environment, flow.name)
    expect(left).toEqual({ n: 0 })
    db.close()
  })

  it('give apps stored before 0007 no redirect URI, and keep every other column', () => {
    const seeded = openDatabase(':memory:')
    migrate(seeded)
    seedDemo(seeded)
    const db = openDatabase(':memory:')
    migrate(db, loadMigrations().slice(0, 6))
    copyRows(seeded, db)
    const apps = (d: typeof db) =>
      d.prepare<[], Record<string, unknown>>('SELECT * FROM apps ORDER BY client_id').all()
    const before = apps(db)
    expect(before.length).toBeGreaterThan(1)
    expect(migrate(db, loadMigrations().slice(0, 7))).toBe(7)
    expect(apps(db)).toEqual(before.map((a) => ({ ...a, redirect_uris: '[]' })))
    expect(apps(seeded).map((a) => JSON.parse(a['redirect_uris'] as string))).toContainEqual([
      'https://reporting.contoso.com/auth/callback',
    ])
    seeded.close()
    db.close()
  })

  it('fail, changing nothing, when a migration leaves a row referring to a missing one', () => {
    const db = openDatabase(':memory:')
    const dangling = [
      ...loadMigrations(),
      {
        version: loadMigrations().length + 1,
        file: '9999-dangling.sql',
        sql: "INSERT INTO environments (name, tenant_id, display_name, is_default, location, created_time) VALUES ('e', 'missing', 'x', 0, 'l', 't');",
      },
    ]
    expect(() => migrate(db, dangling)).toThrow(
      /left 1 row\(s\) referring to missing rows \(first: environments -> tenants\)/,
    )
    expect(db.pragma('user_version', { simple: true })).toBe(0)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
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
