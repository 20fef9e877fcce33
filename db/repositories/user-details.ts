import type { Db } from '../open.ts'

export interface UserDetailsRow {
  tenant_id: string
  object_id: string
  puid: string
  is_disallowed_for_internal_plans: number
  consent_time: string
  service_settings_selection_time: string
  consent_business_app_platform_time: string
}

export function createUserDetailsRepository(db: Db) {
  const one = db.prepare<[string, string], UserDetailsRow>(
    'SELECT * FROM user_details WHERE tenant_id = ? AND object_id = ?',
  )
  const ofTenant = db.prepare<[string], UserDetailsRow>(
    'SELECT * FROM user_details WHERE tenant_id = ? ORDER BY object_id',
  )
  const insert = db.prepare<UserDetailsRow>(
    `INSERT INTO user_details (tenant_id, object_id, puid, is_disallowed_for_internal_plans, consent_time,
       service_settings_selection_time, consent_business_app_platform_time)
     VALUES (@tenant_id, @object_id, @puid, @is_disallowed_for_internal_plans, @consent_time,
       @service_settings_selection_time, @consent_business_app_platform_time)`,
  )
  const remove = db.prepare<[string, string]>(
    'DELETE FROM user_details WHERE tenant_id = ? AND object_id = ?',
  )
  return {
    find: (tenantId: string, objectId: string) => one.get(tenantId, objectId),
    listForTenant: (tenantId: string) => ofTenant.all(tenantId),
    insert: (row: UserDetailsRow) => void insert.run(row),
    /** False when there was no record. */
    remove: (tenantId: string, objectId: string) => remove.run(tenantId, objectId).changes > 0,
  }
}
export type UserDetailsRepository = ReturnType<typeof createUserDetailsRepository>
