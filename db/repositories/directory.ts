import type { DirectoryRole } from '../../schemas/fixture.ts'
import type { Db } from '../open.ts'
import { keyOf, type ChangeWatch } from './unchanged-memo.ts'

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

export function createDirectoryRepository(db: Db, watch: ChangeWatch) {
  const userById = db.prepare<[string, string], UserRowRaw>(
    'SELECT * FROM users WHERE tenant_id = ? AND object_id = ?',
  )
  const userByUpn = db.prepare<[string, string], UserRowRaw>(
    'SELECT * FROM users WHERE tenant_id = ? AND upn = ?',
  )
  const usersOf = db.prepare<[string], UserRowRaw>('SELECT * FROM users WHERE tenant_id = ? ORDER BY upn')
  const insertUser = db.prepare<UserRowRaw>(
    `INSERT INTO users (object_id, tenant_id, upn, display_name, given_name, surname, mail, password, roles)
     VALUES (@object_id, @tenant_id, @upn, @display_name, @given_name, @surname, @mail, @password, @roles)`,
  )
  const groupsOf = db.prepare<[string], GroupRow>(
    'SELECT * FROM groups WHERE tenant_id = ? ORDER BY display_name',
  )
  const groupById = db.prepare<[string, string], GroupRow>(
    'SELECT * FROM groups WHERE tenant_id = ? AND object_id = ?',
  )
  const insertGroup = db.prepare<GroupRow>(
    'INSERT INTO groups (object_id, tenant_id, display_name) VALUES (@object_id, @tenant_id, @display_name)',
  )
  const appById = db.prepare<[string, string], AppRowRaw>(
    'SELECT * FROM apps WHERE tenant_id = ? AND client_id = ?',
  )
  const appsOf = db.prepare<[string], AppRowRaw>(
    'SELECT * FROM apps WHERE tenant_id = ? ORDER BY display_name',
  )
  const insertApp = db.prepare<AppRowRaw>(
    `INSERT INTO apps (tenant_id, client_id, display_name, service_principal_id, secrets, certificates, management_application, redirect_uris)
     VALUES (@tenant_id, @client_id, @display_name, @service_principal_id, @secrets, @certificates, @management_application, @redirect_uris)`,
  )

  // The admin check reads the caller's user, or app, on every API call.
  const foundUser = watch.memo<Readonly<UserRow> | undefined>(['users'])
  const foundApp = watch.memo<Readonly<AppRow> | undefined>(['apps'])

  return {
    findUser: (tenantId: string, objectId: string) =>
      foundUser(keyOf(tenantId, objectId), () => toUser(userById.get(tenantId, objectId))),
    findUserByUpn: (tenantId: string, upn: string) => toUser(userByUpn.get(tenantId, upn)),
    listUsers: (tenantId: string) => usersOf.all(tenantId).map((u) => toUser(u)!),
    insertUser: (row: UserRow) => void insertUser.run({ ...row, roles: JSON.stringify(row.roles) }),
    listGroups: (tenantId: string) => groupsOf.all(tenantId),
    findGroup: (tenantId: string, objectId: string) => groupById.get(tenantId, objectId),
    insertGroup: (row: GroupRow) => void insertGroup.run(row),
    findApp: (tenantId: string, clientId: string) =>
      foundApp(keyOf(tenantId, clientId), () => toApp(appById.get(tenantId, clientId))),
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
