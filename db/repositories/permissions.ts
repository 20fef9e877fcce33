import type { PrincipalType, RoleName } from '../../schemas/permission.ts'
import type { Db } from '../open.ts'
import type { ChangeWatch } from './unchanged-memo.ts'

export interface PermissionRow {
  environment: string
  flow: string
  principal_id: string
  principal_type: PrincipalType
  role_name: RoleName
  email: string | null
  display_name: string | null
}

type FlowKey = { environment: string; flow: string }

export function createPermissionsRepository(db: Db, watch: ChangeWatch) {
  // Owner first, then by decreasing rights, then by principal: a stable order clients can snapshot.
  const visible = db.prepare<FlowKey, PermissionRow>(
    `SELECT * FROM flow_permissions
     WHERE environment = @environment AND flow = @flow AND principal_type <> 'ServicePrincipal'
     ORDER BY CASE role_name WHEN 'Owner' THEN 0 WHEN 'CanEdit' THEN 1 WHEN 'CanViewWithShare' THEN 2 ELSE 3 END,
              principal_id`,
  )
  const all = db.prepare<FlowKey, PermissionRow>(
    'SELECT * FROM flow_permissions WHERE environment = @environment AND flow = @flow ORDER BY principal_id',
  )
  const one = db.prepare<FlowKey & { principal: string }, PermissionRow>(
    'SELECT * FROM flow_permissions WHERE environment = @environment AND flow = @flow AND principal_id = @principal',
  )
  const upsertSql = `INSERT INTO flow_permissions (environment, flow, principal_id, principal_type, role_name, email, display_name)
     VALUES (@environment, @flow, @principal_id, @principal_type, @role_name, @email, @display_name)
     ON CONFLICT (environment, flow, principal_id) DO UPDATE SET
       principal_type = excluded.principal_type, role_name = excluded.role_name,
       email = excluded.email, display_name = excluded.display_name`
  const upsert = db.prepare<PermissionRow>(upsertSql)
  // The API's writes leave the Owner's row alone in the same statement that checks for it: one
  // statement instead of a read and a write, on the hot path of modifyPermissions.
  const grant = db.prepare<PermissionRow>(`${upsertSql} WHERE flow_permissions.role_name <> 'Owner'`)
  const revoke = db.prepare<FlowKey & { principal: string }>(
    `DELETE FROM flow_permissions
     WHERE environment = @environment AND flow = @flow AND principal_id = @principal AND role_name <> 'Owner'`,
  )
  const ownedInTenant = db.prepare<{ principal: string; tenant: string }, { count: number }>(
    `SELECT count(*) AS count FROM flow_permissions p JOIN environments e ON e.name = p.environment
       JOIN flows f ON f.environment = p.environment AND f.name = p.flow
     WHERE p.principal_id = @principal AND p.role_name = 'Owner' AND e.tenant_id = @tenant
       AND f.deleted_time IS NULL`,
  )

  return {
    /** What GET .../permissions shows: service principals are never listed (flow-admin-api.md §2.1). */
    listVisible: (environment: string, flow: string) => visible.all({ environment, flow }),
    listAll: (environment: string, flow: string) => all.all({ environment, flow }),
    find: (environment: string, flow: string, principal: string) => one.get({ environment, flow, principal }),
    /** Writes a role whatever is there (seeding). */
    upsert: (row: PermissionRow) => void upsert.run(row),
    /** Writes a role unless the principal is the flow's Owner; false, with nothing written, when it is. */
    grant: (row: PermissionRow) => watch.wrote('flow_permissions', () => grant.run(row)).changes > 0,
    /** Removes a principal's role unless it is the Owner's; false when nothing was removed. */
    revoke: (environment: string, flow: string, principal: string) =>
      watch.wrote('flow_permissions', () => revoke.run({ environment, flow, principal })).changes > 0,
    countOwnedFlows: (tenantId: string, principal: string) =>
      ownedInTenant.get({ principal, tenant: tenantId })?.count ?? 0,
  }
}
export type PermissionsRepository = ReturnType<typeof createPermissionsRepository>
