import { timingSafeEqual } from 'node:crypto'

import type { UserRow } from '../../../db/repositories/directory.ts'
import { entraErrors } from '../../errors/index.ts'
import { tenantOfUpn } from '../tenant-segment.ts'
import type { TokenRequest } from '../token-request.ts'

/** Compares passwords in constant time, so timing tells nothing about how much of one matched. */
export function passwordMatches(user: UserRow, password: string): boolean {
  const expected = Buffer.from(user.password)
  const given = Buffer.from(password)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

/** `grant_type=password` (ROPC): a tenant user signs in with a public client (entra.md §1.2). */
export async function passwordGrant(req: TokenRequest) {
  const username = req.required('username')
  const password = req.required('password')
  const tenant = req.segment.kind === 'tenant' ? req.segment.tenant : tenantOfUpn(req.ctx.repos, username)
  if (!tenant) throw entraErrors.userNotFound(req.tenantText)
  const { client, appidacr } = await req.authenticate(tenant, req.required('client_id'), { required: false })
  req.resource(tenant)
  const user = req.ctx.repos.directory.findUserByUpn(tenant.id, username)
  if (!user) throw entraErrors.userNotFound(tenant.id)
  if (!passwordMatches(user, password)) throw entraErrors.invalidCredentials()
  return req.userTokens(tenant, user, client.clientId, appidacr)
}
