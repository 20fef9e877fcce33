import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import type { Repositories } from '../../db/repositories/index.ts'
import type { TenantRow } from '../../db/repositories/tenants.ts'
import { controlErrors } from './schemas.ts'
import { MintTokenRequest, MintTokenResponse } from '../../schemas/token.ts'
import { FLOW_SERVICE_AUDIENCE } from '../auth/audiences.ts'
import { AZURE_POWERSHELL_CLIENT_ID } from '../auth/token-issuer.ts'
import { controlPlaneErrors, errors } from '../errors/index.ts'
import { requireTenant } from './tenant-lookup.ts'

/**
 * POST /_emulator/tokens: a signed access token for a tenant user or app, without a sign-in.
 * The token is exactly what the emulator's Entra ID issues, so the API treats both alike.
 */
const tokens: FastifyPluginAsyncTypebox = async (app) => {
  const { repos, tokenIssuer: issuer } = app

  app.post(
    '/_emulator/tokens',
    {
      schema: {
        operationId: 'Emulator-MintToken',
        summary: 'Mint an access token (loopback only)',
        description:
          'Body `{"tenant","user"}` for a delegated token, `{"tenant","clientId"}` for an app-only token. The token is signed with the tenant key, v1-shaped, audience https://service.flow.microsoft.com/ unless `audience` says otherwise.',
        tags: ['Emulator'],
        body: MintTokenRequest,
        response: { 200: MintTokenResponse, ...controlErrors(404) },
      },
    },
    async (request) => {
      const body = request.body
      if (body.user === undefined && body.clientId === undefined) {
        throw errors.invalidControlRequest("body must have the property 'user' or 'clientId'")
      }
      const { maxTokenLifetime } = app.settings
      if ((body.expiresInSeconds ?? 0) > maxTokenLifetime) {
        throw errors.invalidControlRequest(
          `body.expiresInSeconds must be at most ${maxTokenLifetime} (--max-token-lifetime): a longer token is refused`,
        )
      }
      const tenant = resolveTenant(repos, body.tenant, body.user)
      const common = {
        tenantId: tenant.id,
        audience: body.audience ?? FLOW_SERVICE_AUDIENCE,
        lifetimeSeconds: body.expiresInSeconds ?? 3600,
        ...(body.claims ? { extraClaims: body.claims } : {}),
      }
      let minted
      if (body.user !== undefined) {
        const user =
          repos.directory.findUserByUpn(tenant.id, body.user) ??
          repos.directory.findUser(tenant.id, body.user)
        if (!user) throw controlPlaneErrors.principalNotFound(tenant.id, body.user)
        minted = await issuer.forUser({
          ...common,
          user,
          clientId: body.clientId?.toLowerCase() ?? AZURE_POWERSHELL_CLIENT_ID,
        })
      } else {
        const clientId = body.clientId ?? ''
        const app = repos.directory.findApp(tenant.id, clientId)
        if (!app) throw controlPlaneErrors.principalNotFound(tenant.id, clientId)
        minted = await issuer.forApp({ ...common, app })
      }
      return { access_token: minted.accessToken, token_type: 'Bearer' as const, expires_in: minted.expiresIn }
    },
  )
}

export default tokens

/** The tenant named in the request, or, for a UPN, the tenant of its domain. */
function resolveTenant(repos: Repositories, tenant: string | undefined, user: string | undefined): TenantRow {
  const name = tenant ?? user?.split('@')[1]
  if (name === undefined) throw errors.invalidControlRequest("body must have the property 'tenant'")
  return requireTenant(repos, name)
}
