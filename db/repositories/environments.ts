import type { Db } from '../open.ts'
import type { ChangeWatch } from './unchanged-memo.ts'

export interface EnvironmentRow {
  name: string
  tenant_id: string
  display_name: string
  is_default: number
  location: string
  created_time: string
}

export function createEnvironmentsRepository(db: Db, watch: ChangeWatch) {
  const byName = db.prepare<[string], EnvironmentRow>('SELECT * FROM environments WHERE name = ?')
  const ofTenant = db.prepare<[string], EnvironmentRow>(
    'SELECT * FROM environments WHERE tenant_id = ? ORDER BY is_default DESC, name',
  )
  const insert = db.prepare<EnvironmentRow>(
    `INSERT INTO environments (name, tenant_id, display_name, is_default, location, created_time)
     VALUES (@name, @tenant_id, @display_name, @is_default, @location, @created_time)`,
  )
  // Every API call resolves its environment.
  const found = watch.memo<Readonly<EnvironmentRow> | undefined>(['environments'])
  return {
    findByName: (name: string) => found(name, () => byName.get(name)),
    listForTenant: (tenantId: string) => ofTenant.all(tenantId),
    insert: (row: EnvironmentRow) => void insert.run(row),
  }
}
export type EnvironmentsRepository = ReturnType<typeof createEnvironmentsRepository>
