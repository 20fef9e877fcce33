import { entraErrors } from '../../errors/index.ts'
import type { TokenRequest } from '../token-request.ts'

/** What a device code stands for, from POST .../devicecode until the user approves at /devicelogin. */
export interface DeviceGrant {
  clientId: string
  userCode: string
  /** The endpoint version and `scope` (v2) or `resource` (v1) the code was issued for. */
  version?: 'v1' | 'v2'
  scope?: string
  /** Set when the user approved. */
  userId?: string
}

export const DEVICE_CODE_LIFETIME_SECONDS = 900

/**
 * `grant_type=device_code` (what MSAL sends) or `urn:ietf:params:oauth:grant-type:device_code`
 * (RFC 8628): `authorization_pending` until the user approves, then tokens, once.
 */
export async function deviceCodeGrant(req: TokenRequest) {
  const deviceCode = req.form['device_code'] ?? req.form['code'] ?? req.required('device_code')
  const grant = req.ctx.repos.grants.find<DeviceGrant>('device', deviceCode)
  if (!grant) throw entraErrors.invalidGrant('device_code')
  const now = Math.floor(req.ctx.clock.now().getTime() / 1000)
  if (grant.expiresAt < now) throw entraErrors.deviceCodeExpired()
  const clientId = req.required('client_id').toLowerCase()
  if (clientId !== grant.data.clientId) throw entraErrors.clientMismatch()
  if (grant.data.userId === undefined || grant.tenantId === null) throw entraErrors.authorizationPending()
  const tenant = req.ctx.repos.tenants.findById(grant.tenantId)
  const user = tenant && req.ctx.repos.directory.findUser(tenant.id, grant.data.userId)
  if (!tenant || !user) throw entraErrors.invalidGrant('device_code')
  // RFC 8628 §3.4: the token request carries no scope (MSAL Python sends none); the device code
  // stands for the scopes it was issued for.
  const scopeField = req.version === 'v2' ? 'scope' : 'resource'
  if (req.form[scopeField] === undefined && grant.data.version === req.version && grant.data.scope)
    req.form[scopeField] = grant.data.scope
  const { appidacr } = await req.authenticate(tenant, clientId, { required: false })
  req.ctx.repos.grants.remove('device', deviceCode)
  req.ctx.repos.grants.remove('user_code', grant.data.userCode)
  return req.userTokens(tenant, user, clientId, appidacr)
}
