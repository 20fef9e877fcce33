import type { EnvironmentRow } from '../../db/repositories/environments.ts'
import type { FlowRow } from '../../db/repositories/flows.ts'
import type { Repositories } from '../../db/repositories/index.ts'
import { GUID_PATTERN, normaliseId } from '../../schemas/common.ts'
import type { ModifyPermissionsBody } from '../../schemas/permission.ts'
import { errors } from '../errors/index.ts'

const GUID = new RegExp(GUID_PATTERN)
const PERMISSION_ID =
  /^\/providers\/Microsoft\.ProcessSimple\/environments\/([^/]+)\/flows\/([^/]+)\/permissions\/([^/]+)$/i

/**
 * `delete[].id` is a bare principal id (CLI for Microsoft 365, PnP) or the full permission id from
 * GET .../permissions (PowerShell's -RoleId); both are accepted (flow-admin-api.md §1.2).
 */
export function principalOfDeleteId(id: string, index: number, env: EnvironmentRow, flow: FlowRow): string {
  if (GUID.test(id)) return normaliseId(id)
  const match = PERMISSION_ID.exec(id)
  const [, envName, flowName, principal] = match ?? []
  if (!envName || !flowName || !principal || !GUID.test(principal)) {
    throw errors.invalidRequestContent(
      `body.delete[${index}].id must be a principal object id or a permission id '/providers/Microsoft.ProcessSimple/environments/{environment}/flows/{flow}/permissions/{principalId}'`,
    )
  }
  if (envName.toLowerCase() !== env.name.toLowerCase() || normaliseId(flowName) !== flow.name) {
    throw errors.invalidRequestContent(`body.delete[${index}].id is a permission of another flow`)
  }
  return normaliseId(principal)
}

/**
 * Applies a modifyPermissions request: every `put`, then every `delete`, all in one transaction,
 * so a request that fails anywhere changes nothing.
 * - A put on the Owner is a downgrade: 400 PermissionDowngradeNotAllowed (flow-admin-api.md §3).
 * - A put for any GUID is accepted: the service resolves no principal here (§4).
 * - Deleting a non-member is a no-op; deleting the Owner (creator) is refused (§4, inferred).
 */
export function modifyPermissions(
  repos: Repositories,
  env: EnvironmentRow,
  flow: FlowRow,
  body: ModifyPermissionsBody,
): void {
  repos.transaction(() => {
    for (const { properties } of body.put ?? []) {
      const granted = repos.permissions.grant({
        environment: env.name,
        flow: flow.name,
        principal_id: normaliseId(properties.principal.id),
        principal_type: properties.principal.type,
        role_name: properties.roleName,
        email: properties.principal.email ?? null,
        display_name: properties.principal.displayName ?? null,
      })
      if (!granted) throw errors.permissionDowngradeNotAllowed(properties.principal.id)
    }
    body.delete?.forEach(({ id }, index) => {
      const principalId = principalOfDeleteId(id, index, env, flow)
      if (repos.permissions.revoke(env.name, flow.name, principalId)) return
      if (repos.permissions.find(env.name, flow.name, principalId)?.role_name === 'Owner') {
        throw errors.cannotRemoveOwner(principalId)
      }
    })
  })
}
