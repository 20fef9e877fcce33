import type { Repositories } from '../../db/repositories/index.ts'
import type { TenantRow } from '../../db/repositories/tenants.ts'
import { entraErrors } from '../errors/index.ts'

/**
 * The `{tenant}` of an Entra URL: a tenant GUID or verified domain, or one of the multi-tenant
 * aliases `common` and `organizations` (entra.md §1.1). `consumers` names no tenant of the emulator.
 */
export type TenantSegment =
  { kind: 'tenant'; tenant: TenantRow } | { kind: 'multi'; alias: 'common' | 'organizations' }

export function resolveTenantSegment(repos: Repositories, segment: string): TenantSegment {
  const alias = segment.toLowerCase()
  if (alias === 'common' || alias === 'organizations') return { kind: 'multi', alias }
  const tenant = repos.tenants.findById(segment) ?? repos.tenants.resolve(segment)
  // The short fixture name is the emulator's own key, not something Entra would accept.
  if (!tenant || tenant.name.toLowerCase() === alias) throw entraErrors.tenantNotFound(segment)
  return { kind: 'tenant', tenant }
}

/** The tenant a user belongs to, for multi-tenant endpoints: by the domain of the UPN. */
export function tenantOfUpn(repos: Repositories, upn: string): TenantRow | undefined {
  const domain = upn.split('@')[1]
  return domain ? repos.tenants.resolve(domain) : undefined
}
