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

/** Every statement the repositories prepare, with the plan SQLite chose for it and its program. */
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
    const run = <R>(sql: string) => {
      const statement = db.prepare<unknown[], R>(sql)
      return positional.length > 0 ? statement.all(...positional) : statement.all(named)
    }
    return {
      source: source.replace(/\s+/g, ' ').trim(),
      steps: run<{ detail: string }>(`EXPLAIN QUERY PLAN ${source}`).map((s) => s.detail),
      opcodes: run<{ opcode: string }>(`EXPLAIN ${source}`).map((s) => s.opcode),
    }
  })
}

describe('query plans (no full scans on any request path)', () => {
  const statements = plannedStatements()

  it('finds every statement the repositories prepare', () => {
    expect(statements.length).toBeGreaterThan(40)
    expect(statements.map((s) => s.source)).toEqual(expect.arrayContaining(WHOLE_TABLE_READS))
  })

  it('scan no table, foreign-key cascades included, except the whole-table listings', () => {
    const scans = statements
      .filter((s) => !WHOLE_TABLE_READS.includes(s.source))
      .flatMap((s) =>
        s.steps
          // A SELECT without FROM (such as SELECT total_changes()) reads one constant row, no table.
          .filter((step) => step.startsWith('SCAN') && step !== 'SCAN CONSTANT ROW')
          .map((step) => `${step} <= ${s.source}`),
      )
    expect(scans).toEqual([])
  })

  it('build no temporary b-tree when they run (a CHECK or query with an IN list of three or more values does)', () => {
    // Migration 0006: four of them were more than half of a modifyPermissions upsert.
    const ephemeral = statements.filter((s) => s.opcodes.includes('OpenEphemeral')).map((s) => s.source)
    expect(ephemeral).toEqual([])
    // The check above can fail: SQLite does build one for such a list.
    const db = openDatabase(':memory:')
    db.exec("CREATE TABLE t (x TEXT CHECK (x IN ('a', 'b', 'c'))) STRICT")
    const opcodes = db.prepare<[], { opcode: string }>("EXPLAIN INSERT INTO t VALUES ('a')").all()
    expect(opcodes.map((o) => o.opcode)).toContain('OpenEphemeral')
    db.close()
  })

  it("find a principal's owned flows through the Owner-only index", () => {
    const owned = statements.find((s) => s.source.includes("p.role_name = 'Owner'"))
    expect(owned?.steps).toContain('SEARCH p USING INDEX flow_permissions_owner (principal_id=?)')
  })
})
