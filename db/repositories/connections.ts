import type { Db } from '../open.ts'
import { keyOf, type ChangeWatch } from './unchanged-memo.ts'

export interface ConnectionRow {
  id: string
  tenant_id: string
  owner_id: string
  auth_type: 'firstParty' | 'CertOauth'
  client_id: string | null
  pfx_base64: string | null
  pfx_password: string | null
  created_time: string
}

export function createConnectionsRepository(db: Db, watch: ChangeWatch) {
  const one = db.prepare<[string], ConnectionRow>('SELECT * FROM connections WHERE id = ?')
  const all = db.prepare<[], ConnectionRow>('SELECT * FROM connections ORDER BY tenant_id, id')
  const ofTenant = db.prepare<[string], ConnectionRow>(
    'SELECT * FROM connections WHERE tenant_id = ? ORDER BY id',
  )
  const insert = db.prepare<ConnectionRow>(
    `INSERT OR IGNORE INTO connections (id, tenant_id, owner_id, auth_type, client_id, pfx_base64, pfx_password, created_time)
     VALUES (@id, @tenant_id, @owner_id, @auth_type, @client_id, @pfx_base64, @pfx_password, @created_time)`,
  )
  const remove = db.prepare<[string]>('DELETE FROM connections WHERE id = ?')
  const countOfTenant = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM connections WHERE tenant_id = ?',
  )
  // Every connector call resolves its connection.
  const found = watch.memo<Readonly<ConnectionRow> | undefined>(['connections'])
  return {
    find: (id: string) => found(keyOf(id), () => one.get(id)),
    list: (tenantId?: string) => (tenantId === undefined ? all.all() : ofTenant.all(tenantId)),
    /** Inserts unless the id exists; returns the stored row either way (first writer wins). */
    insertOrGet(row: ConnectionRow): { row: ConnectionRow; created: boolean } {
      const created = insert.run(row).changes > 0
      return { row: one.get(row.id)!, created }
    },
    remove: (id: string) => remove.run(id).changes > 0,
    count: (tenantId: string) => countOfTenant.get(tenantId)!.n,
  }
}
export type ConnectionsRepository = ReturnType<typeof createConnectionsRepository>
