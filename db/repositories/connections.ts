import { keyOf, type Sql } from './read-cache.ts'

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

export function createConnectionsRepository(sql: Sql) {
  const one = sql.prepare<[string], ConnectionRow>('SELECT * FROM connections WHERE id = ?')
  const all = sql.prepare<[], ConnectionRow>('SELECT * FROM connections ORDER BY tenant_id, id')
  const ofTenant = sql.prepare<[string], ConnectionRow>(
    'SELECT * FROM connections WHERE tenant_id = ? ORDER BY id',
  )
  const insert = sql.prepare<ConnectionRow>(
    `INSERT OR IGNORE INTO connections (id, tenant_id, owner_id, auth_type, client_id, pfx_base64, pfx_password, created_time)
     VALUES (@id, @tenant_id, @owner_id, @auth_type, @client_id, @pfx_base64, @pfx_password, @created_time)`,
  )
  const remove = sql.prepare<[string]>('DELETE FROM connections WHERE id = ?')
  const countOfTenant = sql.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM connections WHERE tenant_id = ?',
  )
  return {
    /** Cached: every connector call resolves its connection. */
    find: (id: string) => sql.remember('connections', keyOf(id), () => one.get(id)),
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
