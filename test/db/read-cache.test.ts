import { describe, expect, it } from 'vitest'

import { migrate } from '../../db/migrate.ts'
import { openDatabase } from '../../db/open.ts'
import { createReadCache, keyOf } from '../../db/repositories/read-cache.ts'
import { createRepositories } from '../../db/repositories/index.ts'

const T = '11111111-1111-4111-8111-111111111111'
const ENV = 'Default-11111111-1111-4111-8111-111111111111'

function setUp() {
  const db = openDatabase(':memory:')
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

describe('the read cache', () => {
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

  it('hands out frozen rows, so no caller can change what the next request reads', () => {
    const { repos, flow, permission } = setUp()
    flow('f1')
    permission('f1', 'p1')
    const row = repos.flows.find(ENV, 'f1')!
    expect(() => {
      ;(row as { state: string }).state = 'Suspended'
    }).toThrow(TypeError)
    const list = repos.permissions.listVisible(ENV, 'f1')
    expect(() => (list as unknown[]).push({})).toThrow(TypeError)
    expect(repos.flows.find(ENV, 'f1')?.state).toBe('Started')
  })

  it('keeps exact keys: names that differ in case are separate entries, each answered as SQLite does', () => {
    const { repos, flow } = setUp()
    flow('MiXeD')
    expect(repos.flows.find(ENV, 'mixed')?.name).toBe('MiXeD')
    expect(repos.flows.find(ENV, 'MIXED')?.name).toBe('MiXeD')
    // Only ASCII folds in SQLite's NOCASE; a cache that lower-cased keys would conflate these.
    flow('Ä')
    expect(repos.flows.find(ENV, 'ä')).toBeUndefined()
    expect(repos.flows.find(ENV, 'Ä')?.name).toBe('Ä')
  })

  it('knows a write by its verb: an INSERT ... RETURNING read with get() forgets the table too', () => {
    const db = openDatabase(':memory:')
    migrate(db)
    const sql = createReadCache(db)
    const count = sql.prepare<[], { n: number }>('SELECT count(*) AS n FROM tenants')
    const insert = sql.prepare<[string, string, string], { id: string }>(
      "INSERT INTO tenants (id, name, domain, display_name) VALUES (?, ?, ?, 'T') RETURNING id",
    )
    const remembered = () => sql.remember('tenants', 'count', () => count.get()!.n)
    expect(remembered()).toBe(0)
    expect(insert.get(T, 'returning', 'returning.example')?.id).toBe(T)
    expect(remembered()).toBe(1)
  })

  it('builds keys that cannot collide whatever the parts contain', () => {
    expect(keyOf('a/b', 'c')).not.toBe(keyOf('a', 'b/c'))
    expect(keyOf('a:1', '')).not.toBe(keyOf('a', '1'))
  })
})
