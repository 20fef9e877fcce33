import type { Db } from '../open.ts'

export interface TenantRow {
  id: string
  name: string
  domain: string
  display_name: string
}

export interface SigningKeyRow {
  tenant_id: string
  kid: string
  private_key_pem: string
  certificate_pem: string
}

export function createTenantsRepository(db: Db) {
  const byId = db.prepare<[string], TenantRow>('SELECT * FROM tenants WHERE id = ?')
  const byDomain = db.prepare<[string], TenantRow>('SELECT * FROM tenants WHERE domain = ?')
  const byName = db.prepare<[string], TenantRow>('SELECT * FROM tenants WHERE name = ?')
  const all = db.prepare<[], TenantRow>('SELECT * FROM tenants ORDER BY name')
  const insert = db.prepare<TenantRow>(
    'INSERT INTO tenants (id, name, domain, display_name) VALUES (@id, @name, @domain, @display_name)',
  )
  const remove = db.prepare<[string]>('DELETE FROM tenants WHERE id = ?')
  const keyOf = db.prepare<[string], SigningKeyRow>('SELECT * FROM signing_keys WHERE tenant_id = ?')
  const allKeys = db.prepare<[], SigningKeyRow>('SELECT * FROM signing_keys')
  const insertKey = db.prepare<SigningKeyRow>(
    'INSERT INTO signing_keys (tenant_id, kid, private_key_pem, certificate_pem) VALUES (@tenant_id, @kid, @private_key_pem, @certificate_pem)',
  )

  return {
    findById: (id: string) => byId.get(id),
    /** A tenant by GUID, verified domain or short name, as clients and the control plane name them. */
    resolve: (idOrDomainOrName: string) =>
      byId.get(idOrDomainOrName) ?? byDomain.get(idOrDomainOrName) ?? byName.get(idOrDomainOrName),
    list: () => all.all(),
    insert: (row: TenantRow) => void insert.run(row),
    /** Removes the tenant and, by ON DELETE CASCADE, everything of it. False when there was none. */
    remove: (id: string) => remove.run(id).changes > 0,
    signingKey: (tenantId: string) => keyOf.get(tenantId),
    signingKeys: () => allKeys.all(),
    insertSigningKey: (row: SigningKeyRow) => void insertKey.run(row),
  }
}
export type TenantsRepository = ReturnType<typeof createTenantsRepository>
