import type { Repositories } from '../../db/repositories/index.ts'
import type { TenantRow } from '../../db/repositories/tenants.ts'
import { controlPlaneErrors } from '../errors/index.ts'

/** A tenant as the control plane names it (id, domain or short name), or 404 TenantNotFound. */
export function requireTenant(repos: Repositories, name: string): TenantRow {
  const tenant = repos.tenants.resolve(name)
  if (!tenant) throw controlPlaneErrors.tenantNotFound(name)
  return tenant
}
