import { describe, expect, it, vi } from 'vitest'

import { migrate } from '../../db/migrate.ts'
import { openDatabase } from '../../db/open.ts'
import { createRepositories } from '../../db/repositories/index.ts'

/** Statements that read a whole table by design: listings of every tenant, key or connection. */
const WHOLE_TABLE_READS = [
  'SELECT * FROM tenants ORDER BY name',
  'SELECT * FROM signing_keys',
  'SELECT * FROM connections ORDER BY tenant_id, id',
]

/** Every statement the repositories prepare, with the plan SQLite chose for it. */
function plannedStatements() {
  const db = openDatabase(':memory:')
  migrate(db)
  const prepare = vi.spyOn(db, 'prepare')
  createRepositories(db)
  const sources = prepare.mock.calls.map(([source]) => source)
  prepare.mockRestore()
  return sources.map((source) => {
    // A plan does not depend on the values bound, so nulls stand in for every parameter.
    const named = Object.fromEntries((source.match(/@\w+/g) ?? []).map((p) => [p.slice(1), null]))
    const positional = (source.match(/\?/g) ?? []).map(() => null)
    const plan = db.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${source}`)
    const steps = positional.length > 0 ? plan.all(...positional) : plan.all(named)
    return { source: source.replace(/\s+/g, ' ').trim(), steps: steps.map((s) => s.detail) }
  })
}

describe('query plans (issue 8: no full scans on any request path)', () => {
  const statements = plannedStatements()

  it('finds every statement the repositories prepare', () => {
    expect(statements.length).toBeGreaterThan(40)
    expect(statements.map((s) => s.source)).toEqual(expect.arrayContaining(WHOLE_TABLE_READS))
  })

  it('scan no table, foreign-key cascades included, except the whole-table listings', () => {
    const scans = statements
      .filter((s) => !WHOLE_TABLE_READS.includes(s.source))
      .flatMap((s) =>
        s.steps.filter((step) => step.startsWith('SCAN')).map((step) => `${step} <= ${s.source}`),
      )
    expect(scans).toEqual([])
  })

  it("find a principal's owned flows through the Owner-only index", () => {
    const owned = statements.find((s) => s.source.includes("p.role_name = 'Owner'"))
    expect(owned?.steps).toContain('SEARCH p USING INDEX flow_permissions_owner (principal_id=?)')
  })
})
