import { createHash } from 'node:crypto'

import { entraErrors } from '../../errors/index.ts'
import type { TokenRequest } from '../token-request.ts'

/** What an authorization code stands for, stored when the user signs in at /authorize. */
export interface CodeGrant {
  clientId: string
  redirectUri: string
  scope: string
  userId: string
  codeChallenge?: string | undefined
  codeChallengeMethod?: 'S256' | 'plain' | undefined
  nonce?: string | undefined
  redeemed?: boolean
}

export const CODE_LIFETIME_SECONDS = 600

/** RFC 7636: the verifier must hash (S256) or equal (plain) the challenge sent to /authorize. */
export function pkceMatches(grant: CodeGrant, verifier: string | undefined): boolean {
  if (grant.codeChallenge === undefined) return true
  if (verifier === undefined) return false
  const computed =
    grant.codeChallengeMethod === 'plain'
      ? verifier
      : createHash('sha256').update(verifier).digest('base64url')
  return computed === grant.codeChallenge
}

/** `grant_type=authorization_code`, with PKCE (entra.md §1.2). A code is good once. */
export async function authorizationCodeGrant(req: TokenRequest) {
  const code = req.required('code')
  const grant = req.ctx.repos.grants.find<CodeGrant>('code', code)
  if (!grant || grant.tenantId === null) throw entraErrors.invalidGrant('code')
  if (grant.data.redeemed) throw entraErrors.codeRedeemed()
  const now = Math.floor(req.ctx.clock.now().getTime() / 1000)
  if (grant.expiresAt < now) throw entraErrors.grantExpired('code')
  const tenant = req.ctx.repos.tenants.findById(grant.tenantId)
  if (!tenant || (req.segment.kind === 'tenant' && req.segment.tenant.id !== tenant.id))
    throw entraErrors.invalidGrant('code')
  const clientId = req.required('client_id').toLowerCase()
  if (clientId !== grant.data.clientId) throw entraErrors.clientMismatch()
  const redirectUri = req.required('redirect_uri')
  if (redirectUri !== grant.data.redirectUri) throw entraErrors.redirectUriMismatch(redirectUri)
  const { appidacr } = await req.authenticate(tenant, clientId, { required: false })
  if (!pkceMatches(grant.data, req.form['code_verifier'])) throw entraErrors.pkceMismatch()
  req.ctx.repos.grants.update<CodeGrant>('code', code, { ...grant.data, redeemed: true })
  const user = req.ctx.repos.directory.findUser(tenant.id, grant.data.userId)
  if (!user) throw entraErrors.invalidGrant('code')
  return req.userTokens(tenant, user, clientId, appidacr, grant.data.nonce)
}
