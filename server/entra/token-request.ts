import type { FastifyRequest } from 'fastify'

import type { TenantRow } from '../../db/repositories/tenants.ts'
import { entraErrors } from '../errors/index.ts'
import type { UserRow } from '../../db/repositories/directory.ts'
import { authenticateClient, type ClientAuthentication, type ClientCredentials } from './client-auth.ts'
import { resolveClient, type Client } from './clients.ts'
import { parseV1Resource, parseV2Scope, type ResourceRequest } from './scopes.ts'
import type { TenantSegment } from './tenant-segment.ts'
import { userTokenResponse, type EndpointVersion } from './token-response.ts'
import type { TokenServices } from './token-services.ts'

/** One POST to a token endpoint, parsed once for whichever grant handles it. */
export interface TokenRequest {
  ctx: TokenServices
  version: EndpointVersion
  segment: TenantSegment
  /** The `{tenant}` of the URL as the client wrote it. */
  tenantText: string
  form: Record<string, string>
  credentials: ClientCredentials
  /** The URLs a client assertion may name as `aud`: this endpoint as the client saw it, and Microsoft's. */
  assertionAudiences(tenant: TenantRow): string[]
  /** A form field the grant needs, or AADSTS900144. */
  required(name: string): string
  /** The requested resource, from `scope` (v2) or `resource` (v1). */
  resource(tenant: TenantRow): ResourceRequest
  /** The tenant, for grants that cannot run on /common or /organizations. */
  specificTenant(): TenantRow
  wantsClientInfo: boolean
  /** Resolves `client_id` in the tenant and authenticates it (secret, assertion, or nothing for a public client). */
  authenticate(
    tenant: TenantRow,
    clientId: string,
    options: { required: boolean },
  ): Promise<{ client: Client; appidacr: ClientAuthentication }>
  /** The user-flow response: `user` signed in through `clientId`, for the requested resource. */
  userTokens(
    tenant: TenantRow,
    user: UserRow,
    clientId: string,
    appidacr: ClientAuthentication,
    nonce?: string,
  ): ReturnType<typeof userTokenResponse>
}

export function parseTokenRequest(
  ctx: TokenServices,
  request: FastifyRequest,
  version: EndpointVersion,
  segment: TenantSegment,
  tenantText: string,
): TokenRequest {
  const body = request.body
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw entraErrors.missingParameter('grant_type')
  }
  const form: Record<string, string> = {}
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    // An empty field is an absent one, as for Entra (`client_secret=` is no secret).
    if (typeof value === 'string' && value !== '') form[key] = value
  }
  if (version === 'v2' && form['resource'] !== undefined) throw entraErrors.resourceParameterOnV2()

  const basic = basicCredentials(request.headers.authorization)
  if (basic && !form['client_id']) form['client_id'] = basic.clientId
  const credentials: ClientCredentials = {
    clientSecret: form['client_secret'] ?? basic?.secret,
    clientAssertion: form['client_assertion'],
    clientAssertionType: form['client_assertion_type'],
  }
  const required = (name: string): string => {
    const value = form[name]
    if (value === undefined || value === '') throw entraErrors.missingParameter(name)
    return value
  }
  const path = version === 'v2' ? 'oauth2/v2.0/token' : 'oauth2/token'
  const origin = `${request.protocol}://${request.host}`
  return {
    ctx,
    version,
    segment,
    tenantText,
    form,
    credentials,
    required,
    assertionAudiences: (tenant) =>
      [origin, 'https://login.microsoftonline.com'].flatMap((host) =>
        [tenantText, tenant.id, tenant.domain].flatMap((t) => [
          `${host}/${t}/oauth2/v2.0/token`,
          `${host}/${t}/oauth2/token`,
          `${host}/${t}/${path}`,
        ]),
      ),
    resource: (tenant) =>
      version === 'v2'
        ? parseV2Scope(required('scope'), tenant.id)
        : parseV1Resource(required('resource'), tenant.id),
    specificTenant: () => {
      if (segment.kind !== 'tenant') throw entraErrors.grantNotOnCommon()
      return segment.tenant
    },
    wantsClientInfo: form['client_info'] === '1',
    async authenticate(tenant, clientId, options) {
      const client = resolveClient(ctx.repos, tenant.id, clientId)
      const appidacr = await authenticateClient(
        ctx,
        client,
        this.credentials,
        this.assertionAudiences(tenant),
        options,
      )
      return { client, appidacr }
    },
    userTokens(tenant, user, clientId, appidacr, nonce) {
      return userTokenResponse(ctx, {
        tenant,
        user,
        clientId,
        appidacr,
        resource: this.resource(tenant),
        version,
        clientInfo: this.wantsClientInfo,
        nonce,
      })
    },
  }
}

/** `client_secret_basic`: `Authorization: Basic base64(client_id:client_secret)`. */
function basicCredentials(header: string | undefined): { clientId: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '')
  if (!match?.[1]) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 1) return undefined
  return {
    clientId: decodeURIComponent(decoded.slice(0, colon)),
    secret: decodeURIComponent(decoded.slice(colon + 1)),
  }
}
