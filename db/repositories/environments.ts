import type { Sql } from './read-cache.ts'

export interface EnvironmentRow {
  name: string
  tenant_id: string
  display_name: string
  is_default: number
  location: string
  created_time: string
}

export function createEnvironmentsRepository(sql: Sql) {
  const byName = sql.prepare<[string], EnvironmentRow>('SELECT * FROM environments WHERE name = ?')
  const ofTenant = sql.prepare<[string], EnvironmentRow>(
    'SELECT * FROM environments WHERE tenant_id = ? ORDER BY is_default DESC, name',
  )
  const insert = sql.prepare<EnvironmentRow>(
    `INSERT INTO environments (name, tenant_id, display_name, is_default, location, created_time)
     VALUES (@name, @tenant_id, @display_name, @is_default, @location, @created_time)`,
  )
  return {
    /** Cached: every API call resolves its environment. */
    findByName: (name: string) => sql.remember('environments', name, () => byName.get(name)),
    listForTenant: (tenantId: string) => ofTenant.all(tenantId),
    insert: (row: EnvironmentRow) => void insert.run(row),
  }
}
export type EnvironmentsRepository = ReturnType<typeof createEnvironmentsRepository>
