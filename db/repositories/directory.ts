import type { DirectoryRole } from '../../schemas/fixture.ts'
import { keyOf, type Sql } from './read-cache.ts'

/** Users, groups and applications of a tenant: the directory Entra would hold. */

interface UserRowRaw {
  object_id: string
  tenant_id: string
  upn: string
  display_name: string
  given_name: string | null
  surname: string | null
  mail: string | null
  password: string
  roles: string
}
export type UserRow = Omit<UserRowRaw, 'roles'> & { roles: DirectoryRole[] }

export interface GroupRow {
  object_id: string
  tenant_id: string
  display_name: string
}

interface AppRowRaw {
  tenant_id: string
  client_id: string
  display_name: string
  service_principal_id: string
  secrets: string
  certificates: string
  management_application: number
  redirect_uris: string
}
export interface AppRow {
  tenant_id: string
  client_id: string
  display_name: string
  service_principal_id: string
  secrets: string[]
  certificates: string[]
  management_application: boolean
  redirect_uris: string[]
}

const toUser = (raw: UserRowRaw | undefined): UserRow | undefined =>
  raw && { ...raw, roles: JSON.parse(raw.roles) as DirectoryRole[] }
const toApp = (raw: AppRowRaw | undefined): AppRow | undefined =>
  raw && {
    ...raw,
    secrets: JSON.parse(raw.secrets) as string[],
    certificates: JSON.parse(raw.certificates) as string[],
    management_application: raw.management_application === 1,
    redirect_uris: JSON.parse(raw.redirect_uris) as string[],
  }

export function createDirectoryRepository(sql: Sql) {
  const userById = sql.prepare<[string, string], UserRowRaw>(
    'SELECT * FROM users WHERE tenant_id = ? AND object_id = ?',
  )
  const userByUpn = sql.prepare<[string, string], UserRowRaw>(
    'SELECT * FROM users WHERE tenant_id = ? AND upn = ?',
  )
  const usersOf = sql.prepare<[string], UserRowRaw>('SELECT * FROM users WHERE tenant_id = ? ORDER BY upn')
  const insertUser = sql.prepare<UserRowRaw>(
    `INSERT INTO users (object_id, tenant_id, upn, display_name, given_name, surname, mail, password, roles)
     VALUES (@object_id, @tenant_id, @upn, @display_name, @given_name, @surname, @mail, @password, @roles)`,
  )
  const groupsOf = sql.prepare<[string], GroupRow>(
    'SELECT * FROM groups WHERE tenant_id = ? ORDER BY display_name',
  )
  const groupById = sql.prepare<[string, string], GroupRow>(
    'SELECT * FROM groups WHERE tenant_id = ? AND object_id = ?',
  )
  const insertGroup = sql.prepare<GroupRow>(
    'INSERT INTO groups (object_id, tenant_id, display_name) VALUES (@object_id, @tenant_id, @display_name)',
  )
  const appById = sql.prepare<[string, string], AppRowRaw>(
    'SELECT * FROM apps WHERE tenant_id = ? AND client_id = ?',
  )
  const appsOf = sql.prepare<[string], AppRowRaw>(
    'SELECT * FROM apps WHERE tenant_id = ? ORDER BY display_name',
  )
  const insertApp = sql.prepare<AppRowRaw>(
    `INSERT INTO apps (tenant_id, client_id, display_name, service_principal_id, secrets, certificates, management_application, redirect_uris)
     VALUES (@tenant_id, @client_id, @display_name, @service_principal_id, @secrets, @certificates, @management_application, @redirect_uris)`,
  )

  return {
    /** Cached: the admin check reads it on every API call. */
    findUser: (tenantId: string, objectId: string) =>
      sql.remember('users', keyOf(tenantId, objectId), () => toUser(userById.get(tenantId, objectId))),
    findUserByUpn: (tenantId: string, upn: string) => toUser(userByUpn.get(tenantId, upn)),
    listUsers: (tenantId: string) => usersOf.all(tenantId).map((u) => toUser(u)!),
    insertUser: (row: UserRow) => void insertUser.run({ ...row, roles: JSON.stringify(row.roles) }),
    listGroups: (tenantId: string) => groupsOf.all(tenantId),
    findGroup: (tenantId: string, objectId: string) => groupById.get(tenantId, objectId),
    insertGroup: (row: GroupRow) => void insertGroup.run(row),
    /** Cached: the admin check of an app-only caller reads it on every API call. */
    findApp: (tenantId: string, clientId: string) =>
      sql.remember('apps', keyOf(tenantId, clientId), () => toApp(appById.get(tenantId, clientId))),
    listApps: (tenantId: string) => appsOf.all(tenantId).map((a) => toApp(a)!),
    insertApp: (row: AppRow) =>
      void insertApp.run({
        ...row,
        secrets: JSON.stringify(row.secrets),
        certificates: JSON.stringify(row.certificates),
        management_application: row.management_application ? 1 : 0,
        redirect_uris: JSON.stringify(row.redirect_uris),
      }),
  }
}
export type DirectoryRepository = ReturnType<typeof createDirectoryRepository>
