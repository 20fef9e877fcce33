import type { DirectoryRepository } from '../../db/repositories/directory.ts'
import { errors } from '../errors/index.ts'
import { FLOW_ADMIN_ROLES } from './directory-roles.ts'
import type { Caller } from './token-verifier.ts'

/**
 * Who may call the admin API. A user must hold an admin role in the directory; an app must be
 * registered as a management application of the tenant.
 * EMULATOR: inferred. The roles are read from the emulator's directory, not from the token's
 * `wids`, so a crafted claim cannot make a non-admin an admin.
 */
export function requireFlowAdmin(caller: Caller, directory: DirectoryRepository): void {
  if (caller.kind === 'user') {
    const user = directory.findUser(caller.tenantId, caller.objectId)
    if (!user?.roles.some((r) => FLOW_ADMIN_ROLES.includes(r))) throw errors.notAnAdmin(caller.objectId)
    return
  }
  const app = directory.findApp(caller.tenantId, caller.clientId)
  if (!app?.management_application || app.service_principal_id !== caller.objectId) {
    throw errors.notAnAdmin(caller.objectId)
  }
}

/** The user-details operations refuse app-only callers (the connector page, flow-admin-api.md §1.5). */
export function requireUserCaller(caller: Caller): void {
  if (caller.kind === 'app') throw errors.servicePrincipalNotSupported()
}
