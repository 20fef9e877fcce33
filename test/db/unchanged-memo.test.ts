import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it, onTestFinished } from 'vitest'

import { migrate } from '../../db/migrate.ts'
import { openDatabase, type Db } from '../../db/open.ts'
import { createRepositories } from '../../db/repositories/index.ts'
import { createChangeWatch, keyOf } from '../../db/repositories/unchanged-memo.ts'

const T = '11111111-1111-4111-8111-111111111111'
const ENV = 'Default-11111111-1111-4111-8111-111111111111'

function setUp(db: Db = openDatabase(':memory:')) {
  migrate(db)
  const repos = createRepositories(db)
  repos.tenants.insert({ id: T, name: 'test', domain: 'test.onmicrosoft.com', display_name: 'Test' })
  repos.environments.insert({
    name: ENV,
    tenant_id: T,
    display_name: 'Default',
    is_default: 1,
    location: 'unitedstates',
    created_time: '2026-01-01T00:00:00Z',
  })
  const flow = (name: string) =>
    repos.flows.insert({
      environment: ENV,
      name,
      display_name: name,
      state: 'Started',
      created_time: '2026-01-01T00:00:00Z',
      last_modified_time: '2026-01-01T00:00:00Z',
      creator_id: 'a',
      creator_type: 'User',
      deleted_time: null,
    })
  const permission = (flowName: string, principal: string) =>
    repos.permissions.upsert({
      environment: ENV,
      flow: flowName,
      principal_id: principal,
      principal_type: 'User',
      role_name: 'CanView',
      email: null,
      display_name: null,
    })
  return { repos, flow, permission }
}

describe('the memo of reads while the database is unchanged', () => {
  it('serves a repeated read from memory until a write to that table', () => {
    const { repos, flow } = setUp()
    flow('f1')
    const first = repos.flows.find(ENV, 'f1')
    expect(repos.flows.find(ENV, 'f1')).toBe(first)
    expect(repos.flows.setState(ENV, 'f1', 'Stopped', '2026-01-02T00:00:00Z')).toBe(true)
    const after = repos.flows.find(ENV, 'f1')
    expect(after).not.toBe(first)
    expect(after?.state).toBe('Stopped')
  })

  it('remembers a miss and forgets it when the row is inserted', () => {
    const { repos, flow } = setUp()
    expect(repos.flows.find(ENV, 'late')).toBeUndefined()
    flow('late')
    expect(repos.flows.find(ENV, 'late')?.name).toBe('late')
  })

  it('forgets the rows a foreign key cascade removes (purging a flow drops its permissions)', () => {
    const { repos, flow, permission } = setUp()
    flow('gone')
    permission('gone', 'p1')
    expect(repos.permissions.listVisible(ENV, 'gone')).toHaveLength(1)
    repos.flows.softDelete(ENV, 'gone', '2026-01-01T00:00:00Z')
    repos.flows.purgeDeleted(ENV, '2026-02-01T00:00:00Z')
    expect(repos.permissions.listVisible(ENV, 'gone')).toEqual([])
  })

  it('forgets everything of a removed tenant, through two levels of cascade', () => {
    const { repos, flow, permission } = setUp()
    flow('f1')
    permission('f1', 'p1')
    expect(repos.environments.findByName(ENV)).toBeDefined()
    expect(repos.flows.find(ENV, 'f1')).toBeDefined()
    expect(repos.permissions.listVisible(ENV, 'f1')).toHaveLength(1)
    expect(repos.tenants.remove(T)).toBe(true)
    expect(repos.environments.findByName(ENV)).toBeUndefined()
    expect(repos.flows.find(ENV, 'f1')).toBeUndefined()
    expect(repos.permissions.listVisible(ENV, 'f1')).toEqual([])
  })

  it('keeps nothing read inside a transaction that is rolled back', () => {
    const { repos, flow } = setUp()
    const rollback = new Error('rollback')
    expect(() =>
      repos.transaction(() => {
        flow('ghost')
        expect(repos.flows.find(ENV, 'ghost')?.name).toBe('ghost')
        throw rollback
      }),
    ).toThrow(rollback)
    expect(repos.flows.find(ENV, 'ghost')).toBeUndefined()
  })

  it('answers what is stored after a rolled-back change of a remembered row, inside and after it', () => {
    const { repos, flow, permission } = setUp()
    flow('f1')
    permission('f1', 'p1')
    expect(repos.flows.find(ENV, 'f1')?.state).toBe('Started')
    expect(repos.permissions.listVisible(ENV, 'f1')).toHaveLength(1)
    const rollback = new Error('rollback')
    expect(() =>
      repos.transaction(() => {
        repos.flows.setState(ENV, 'f1', 'Suspended', '2026-01-02T00:00:00Z')
        expect(repos.permissions.revoke(ENV, 'f1', 'p1')).toBe(true)
        // Inside, the transaction's own writes are seen.
        expect(repos.flows.find(ENV, 'f1')?.state).toBe('Suspended')
        expect(repos.permissions.listVisible(ENV, 'f1')).toEqual([])
        throw rollback
      }),
    ).toThrow(rollback)
    expect(repos.flows.find(ENV, 'f1')?.state).toBe('Started')
    expect(repos.permissions.listVisible(ENV, 'f1')).toHaveLength(1)
  })

  it('sees raw SQL written through repos.db, with nothing to call afterwards', () => {
    const { repos, flow, permission } = setUp()
    flow('f1')
    permission('f1', 'p1')
    expect(repos.flows.find(ENV, 'f1')?.display_name).toBe('f1')
    expect(repos.environments.findByName(ENV)?.display_name).toBe('Default')
    expect(repos.permissions.listVisible(ENV, 'f1')).toHaveLength(1)
    repos.db.prepare("UPDATE flows SET display_name = 'renamed' WHERE name = 'f1'").run()
    expect(repos.flows.find(ENV, 'f1')?.display_name).toBe('renamed')
    repos.db.exec("UPDATE environments SET display_name = 'Renamed' WHERE name = '" + ENV + "'")
    expect(repos.environments.findByName(ENV)?.display_name).toBe('Renamed')
    // A raw delete of the tenant cascades to its environment, flows and permissions.
    repos.db.prepare('DELETE FROM tenants WHERE id = ?').run(T)
    expect(repos.environments.findByName(ENV)).toBeUndefined()
    expect(repos.flows.find(ENV, 'f1')).toBeUndefined()
    expect(repos.permissions.listVisible(ENV, 'f1')).toEqual([])
  })

  it('sees a write that another connection commits to the same file, from the next task on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paae-memo-'))
    const path = join(dir, 'emulator.db')
    const db = openDatabase(path)
    onTestFinished(() => {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    })
    const { repos, flow } = setUp(db)
    flow('f1')
    expect(repos.flows.find(ENV, 'f1')?.state).toBe('Started')
    const other = openDatabase(path)
    other.prepare("UPDATE flows SET state = 'Stopped' WHERE name = 'f1'").run()
    other.close()
    // Within the task that read the file's version, what it held then is served.
    expect(repos.flows.find(ENV, 'f1')?.state).toBe('Started')
    await Promise.resolve()
    expect(repos.flows.find(ENV, 'f1')?.state).toBe('Stopped')
  })

  it('keeps exact keys: names that differ in case are separate entries, each answered as SQLite does', () => {
    const { repos, flow } = setUp()
    flow('MiXeD')
    expect(repos.flows.find(ENV, 'mixed')?.name).toBe('MiXeD')
    expect(repos.flows.find(ENV, 'MIXED')?.name).toBe('MiXeD')
    // Only ASCII folds in SQLite's NOCASE; a memo that lower-cased keys would conflate these.
    flow('Ä')
    expect(repos.flows.find(ENV, 'ä')).toBeUndefined()
    expect(repos.flows.find(ENV, 'Ä')?.name).toBe('Ä')
  })

  it('forgets on any write, an INSERT ... RETURNING read with get() included', () => {
    const db = openDatabase(':memory:')
    migrate(db)
    const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM tenants')
    const insert = db.prepare<[string, string, string], { id: string }>(
      "INSERT INTO tenants (id, name, domain, display_name) VALUES (?, ?, ?, 'T') RETURNING id",
    )
    // Whatever tables it names: a write no repository places forgets every memo.
    const tenants = createChangeWatch(db).memo<number>(['users'])
    const remembered = () => tenants('count', () => count.get()!.n)
    expect(remembered()).toBe(0)
    expect(insert.get(T, 'returning', 'returning.example')?.id).toBe(T)
    expect(remembered()).toBe(1)
  })

  it('keeps what it read from other tables across a write that changed only its own table', () => {
    const { repos, flow, permission } = setUp()
    flow('f1')
    permission('f1', 'p1')
    const env = repos.environments.findByName(ENV)
    const found = repos.flows.find(ENV, 'f1')
    expect(repos.permissions.listVisible(ENV, 'f1')).toHaveLength(1)
    const grant = { environment: ENV, flow: 'f1', principal_type: 'User', role_name: 'CanEdit' } as const
    expect(repos.permissions.grant({ ...grant, principal_id: 'p2', email: null, display_name: null })).toBe(
      true,
    )
    expect(repos.environments.findByName(ENV)).toBe(env)
    expect(repos.flows.find(ENV, 'f1')).toBe(found)
    expect(repos.permissions.listVisible(ENV, 'f1')).toHaveLength(2)
    // Stopping the flow forgets the flow, and keeps the environment.
    expect(repos.flows.setState(ENV, 'f1', 'Stopped', '2026-01-02T00:00:00Z')).toBe(true)
    expect(repos.flows.find(ENV, 'f1')?.state).toBe('Stopped')
    expect(repos.environments.findByName(ENV)).toBe(env)
  })

  it("forgets a table's memo on that table's named write, the permission list's included", () => {
    const { repos, flow, permission } = setUp()
    flow('f1')
    permission('f1', 'p1')
    const list = repos.unchangedMemo<number>(['flow_permissions'])
    const remembered = () => list('f1', () => repos.permissions.listVisible(ENV, 'f1').length)
    expect(remembered()).toBe(1)
    const grant = { environment: ENV, flow: 'f1', principal_type: 'User', role_name: 'CanView' } as const
    expect(repos.permissions.grant({ ...grant, principal_id: 'p2', email: null, display_name: null })).toBe(
      true,
    )
    expect(remembered()).toBe(2)
    expect(repos.permissions.revoke(ENV, 'f1', 'p1')).toBe(true)
    expect(remembered()).toBe(1)
  })

  it('forgets every memo when a named write cascades to another table', () => {
    const db = openDatabase(':memory:')
    const { repos, flow, permission } = setUp(db)
    flow('f1')
    permission('f1', 'p1')
    const watch = createChangeWatch(db)
    const permissions = watch.memo<number>(['flow_permissions'])
    const count = () =>
      permissions(
        'all',
        () => db.prepare<[], { n: number }>('SELECT count(*) AS n FROM flow_permissions').get()!.n,
      )
    expect(count()).toBe(1)
    // Named as a write of flows, but the cascade removes the flow's permissions too.
    const removed = watch.wrote('flows', () => db.prepare("DELETE FROM flows WHERE name = 'f1'").run())
    expect(removed.changes).toBe(1)
    expect(count()).toBe(0)
    expect(repos.flows.find(ENV, 'f1')).toBeUndefined()
  })

  it('forgets a memo kept across named writes once an unnamed write follows them', () => {
    const { repos, flow, permission } = setUp()
    flow('f1')
    permission('f1', 'p1')
    expect(repos.environments.findByName(ENV)?.display_name).toBe('Default')
    const grant = { environment: ENV, flow: 'f1', principal_type: 'User', role_name: 'CanView' } as const
    repos.permissions.grant({ ...grant, principal_id: 'p2', email: null, display_name: null })
    repos.db.prepare("UPDATE environments SET display_name = 'Renamed'").run()
    repos.permissions.grant({ ...grant, principal_id: 'p3', email: null, display_name: null })
    expect(repos.environments.findByName(ENV)?.display_name).toBe('Renamed')
  })

  it('builds keys that cannot collide whatever the parts contain', () => {
    expect(keyOf('a/b', 'c')).not.toBe(keyOf('a', 'b/c'))
    expect(keyOf('a:1', '')).not.toBe(keyOf('a', '1'))
  })
})
