import { entraErrors } from '../errors/index.ts'

/**
 * Resources the emulator issues tokens for, keyed by their identifier without a trailing slash.
 * The value is the audience a v1 `resource` or a v2 `<resource>//.default` yields.
 */
export const KNOWN_RESOURCES: readonly string[] = [
  'https://service.flow.microsoft.com',
  'https://management.azure.com',
  'https://management.core.windows.net',
  'https://graph.microsoft.com',
  'https://apihub.azure.com',
]

/** OpenID Connect scopes, which name no resource (MSAL always adds the first three). */
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email'])

export interface ResourceRequest {
  /** The `aud` of the access token. */
  audience: string
  /** What the response's `scope` says: the requested resource scopes, exactly as sent. */
  scope: string
  /** The delegated permissions (`scp`) a user token carries. */
  permissions: string
  isDefault: boolean
  openid: boolean
  offlineAccess: boolean
}

function knownResource(identifier: string, tenant: string): string {
  const bare = identifier.replace(/\/+$/, '')
  if (!KNOWN_RESOURCES.includes(bare.toLowerCase())) throw entraErrors.resourceNotFound(identifier, tenant)
  return bare
}

/**
 * A v2 `scope` parameter. Entra takes the audience as the scope minus its last `/segment`, so
 * `https://service.flow.microsoft.com//.default` yields `https://service.flow.microsoft.com/`
 * and the one-slash form yields the audience without the slash, which the Flow API refuses
 * (entra.md §0 item 7): the mistake real users make is reproduced, not corrected.
 */
export function parseV2Scope(scope: string, tenant: string): ResourceRequest {
  const parts = scope.split(/\s+/).filter(Boolean)
  const resourceScopes = parts.filter((p) => !OIDC_SCOPES.has(p.toLowerCase()))
  let audience: string | undefined
  const permissions: string[] = []
  let isDefault = false
  for (const item of resourceScopes) {
    const slash = item.lastIndexOf('/')
    if (!/^https?:\/\//i.test(item) || slash < 'https://'.length) throw entraErrors.invalidScope(scope)
    const resourcePart = item.slice(0, slash)
    const permission = item.slice(slash + 1)
    if (permission === '') throw entraErrors.invalidScope(scope)
    knownResource(resourcePart, tenant)
    if (audience !== undefined && audience !== resourcePart) throw entraErrors.multipleResources(scope)
    audience = resourcePart
    if (permission === '.default') isDefault = true
    else permissions.push(permission)
  }
  if (audience === undefined) throw entraErrors.invalidScope(scope)
  return {
    audience,
    scope: resourceScopes.join(' '),
    permissions: isDefault || permissions.length === 0 ? 'user_impersonation' : permissions.join(' '),
    isDefault,
    openid: parts.some((p) => p.toLowerCase() === 'openid'),
    offlineAccess: parts.some((p) => p.toLowerCase() === 'offline_access'),
  }
}

/** A v1 `resource` parameter: the audience is the resource exactly as sent (trailing slash kept). */
export function parseV1Resource(resource: string, tenant: string): ResourceRequest {
  knownResource(resource, tenant)
  return {
    audience: resource,
    scope: 'user_impersonation',
    permissions: 'user_impersonation',
    isDefault: true,
    openid: true,
    offlineAccess: true,
  }
}
