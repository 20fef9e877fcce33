import type { DirectoryRole } from '../../schemas/fixture.ts'

/**
 * Directory role template ids, as Entra puts them in the `wids` claim (entra.md §4.3).
 */
export const ROLE_TEMPLATE_IDS: Record<DirectoryRole, string> = {
  GlobalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  PowerPlatformAdministrator: '11648597-926c-4cf3-9c36-bcebb0ba8dcc',
  GlobalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
}

/** Every member user's token carries this undocumented default-user role (entra.md §4.3). */
export const DEFAULT_USER_ROLE_TEMPLATE_ID = 'b79fbf4d-3ef9-4689-8143-76b194e85509'

/** The roles that may call the Flow admin API (the connector page: admin actions need an admin). */
export const FLOW_ADMIN_ROLES: readonly DirectoryRole[] = [
  'GlobalAdministrator',
  'PowerPlatformAdministrator',
]
