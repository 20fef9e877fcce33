import type { AppRow, UserRow } from '../../db/repositories/directory.ts'
import type { TenantRow } from '../../db/repositories/tenants.ts'
import type { ClientAuthentication } from './client-auth.ts'
import type { ResourceRequest } from './scopes.ts'
import type { TokenServices } from './token-services.ts'

/** Access tokens live an hour less a second, as Entra's responses usually say (entra.md §1.3). */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 3599
const REFRESH_TOKEN_LIFETIME_SECONDS = 90 * 24 * 3600

export type EndpointVersion = 'v1' | 'v2'

/** What a refresh token stands for. */
export interface RefreshGrant {
  userId: string
  clientId: string
}

type TokenResponse = Record<string, string | number>

function timing(ctx: TokenServices, version: EndpointVersion, audience: string): TokenResponse {
  const now = Math.floor(ctx.clock.now().getTime() / 1000)
  const lifetime = ACCESS_TOKEN_LIFETIME_SECONDS
  // v2 sends numbers; v1 sends strings and adds expires_on, not_before and resource (entra.md §1.3).
  if (version === 'v2') return { expires_in: lifetime, ext_expires_in: lifetime }
  return {
    expires_in: String(lifetime),
    ext_expires_in: String(lifetime),
    expires_on: String(now + lifetime),
    not_before: String(now),
    resource: audience,
  }
}

/** The response to a client-credentials grant: an app-only token, no refresh token. */
export async function appTokenResponse(
  ctx: TokenServices,
  request: {
    tenant: TenantRow
    app: AppRow
    appidacr: ClientAuthentication
    resource: ResourceRequest
    version: EndpointVersion
  },
): Promise<TokenResponse> {
  const minted = await ctx.tokenIssuer.forApp({
    tenantId: request.tenant.id,
    app: request.app,
    audience: request.resource.audience,
    lifetimeSeconds: ACCESS_TOKEN_LIFETIME_SECONDS,
    appidacr: request.appidacr === '2' ? '2' : '1',
  })
  return {
    token_type: 'Bearer',
    ...timing(ctx, request.version, request.resource.audience),
    access_token: minted.accessToken,
  }
}

/**
 * The response to a user grant: access token, refresh token, ID token and, when the client asked
 * with `client_info=1`, `client_info` (entra.md §0 item 5). `scope` echoes the requested resource
 * scopes, so MSAL's cache finds the token again.
 */
export async function userTokenResponse(
  ctx: TokenServices,
  request: {
    tenant: TenantRow
    user: UserRow
    clientId: string
    appidacr: ClientAuthentication
    resource: ResourceRequest
    version: EndpointVersion
    clientInfo: boolean
    nonce?: string | undefined
  },
): Promise<TokenResponse> {
  const { tenant, user, clientId } = request
  const minted = await ctx.tokenIssuer.forUser({
    tenantId: tenant.id,
    user,
    clientId,
    audience: request.resource.audience,
    lifetimeSeconds: ACCESS_TOKEN_LIFETIME_SECONDS,
    appidacr: request.appidacr,
    scope: request.resource.permissions,
  })
  const refreshToken = `0.emulator.${ctx.random.token(48)}`
  const now = Math.floor(ctx.clock.now().getTime() / 1000)
  ctx.repos.grants.purgeExpired(now)
  ctx.repos.grants.add<RefreshGrant>('refresh', refreshToken, {
    tenantId: tenant.id,
    data: { userId: user.object_id, clientId },
    expiresAt: now + REFRESH_TOKEN_LIFETIME_SECONDS,
  })
  const idToken = await ctx.tokenIssuer.idToken({ tenantId: tenant.id, user, clientId, nonce: request.nonce })
  return {
    token_type: 'Bearer',
    scope: request.resource.scope,
    ...timing(ctx, request.version, request.resource.audience),
    access_token: minted.accessToken,
    refresh_token: refreshToken,
    id_token: idToken,
    ...(request.clientInfo
      ? {
          client_info: Buffer.from(JSON.stringify({ uid: user.object_id, utid: tenant.id })).toString(
            'base64url',
          ),
        }
      : {}),
  }
}
