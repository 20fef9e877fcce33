import { entraErrors } from '../../errors/index.ts'
import type { TokenRequest } from '../token-request.ts'
import type { RefreshGrant } from '../token-response.ts'

/**
 * `grant_type=refresh_token`: a new access token for the same user and client, for any resource
 * (Entra refresh tokens are multi-resource), and a new refresh token.
 */
export async function refreshTokenGrant(req: TokenRequest) {
  const token = req.required('refresh_token')
  const grant = req.ctx.repos.grants.find<RefreshGrant>('refresh', token)
  if (!grant) throw entraErrors.invalidGrant('refresh_token')
  const now = Math.floor(req.ctx.clock.now().getTime() / 1000)
  if (grant.expiresAt < now) throw entraErrors.grantExpired('refresh_token')
  const tenant = grant.tenantId === null ? undefined : req.ctx.repos.tenants.findById(grant.tenantId)
  if (!tenant || (req.segment.kind === 'tenant' && req.segment.tenant.id !== tenant.id)) {
    throw entraErrors.invalidGrant('refresh_token')
  }
  const clientId = req.required('client_id').toLowerCase()
  if (clientId !== grant.data.clientId) throw entraErrors.clientMismatch()
  const { appidacr } = await req.authenticate(tenant, clientId, { required: false })
  const user = req.ctx.repos.directory.findUser(tenant.id, grant.data.userId)
  if (!user) throw entraErrors.invalidGrant('refresh_token')
  return req.userTokens(tenant, user, clientId, appidacr)
}
