import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'

import { PathSegment } from '../../schemas/common.ts'
import type { SigningKey } from '../auth/signing-keys.ts'
import { resolveTenantSegment } from './tenant-segment.ts'
import { entraErrorResponses } from './responses.ts'

/** The public cloud's sign-in hosts, as the real instance discovery lists them (entra.md §3.4). */
const MICROSOFT_LOGIN_ALIASES = [
  'login.microsoftonline.com',
  'login.windows.net',
  'login.microsoft.com',
  'sts.windows.net',
]

/**
 * OpenID Connect discovery, JWKS and instance discovery (entra.md §3), with the emulator's own
 * endpoints built from the scheme and host the client used, so one document serves HTTP, HTTPS
 * and (later) the intercepting proxy.
 */

const TAGS = ['Entra ID']
const TenantParams = Type.Object({ tenant: PathSegment })
const JsonObject = Type.Object({}, { additionalProperties: true })

const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`

function jwk(key: SigningKey, issuer?: string) {
  const { n, e } = key.publicKey.export({ format: 'jwk' })
  return {
    kty: 'RSA',
    use: 'sig',
    kid: key.kid,
    x5t: key.kid,
    n,
    e,
    x5c: [key.certificateDer],
    ...(issuer ? { issuer } : {}),
  }
}

const discovery: FastifyPluginAsyncTypebox = async (app) => {
  const { repos, keys, issuers } = app
  const cacheable = { 'cache-control': 'max-age=86400, private', 'access-control-allow-origin': '*' }

  const openidConfiguration = (version: 'v1' | 'v2', request: FastifyRequest, tenantParam: string) => {
    const segment = resolveTenantSegment(repos, tenantParam)
    // A specific tenant's document names its GUID; /common and /organizations keep the template.
    const tenant = segment.kind === 'tenant' ? segment.tenant.id : tenantParam
    const issuerTenant = segment.kind === 'tenant' ? segment.tenant.id : '{tenantid}'
    const base = `${origin(request)}/${tenant}`
    const v2 = version === 'v2'
    return {
      token_endpoint: `${base}/oauth2/${v2 ? 'v2.0/' : ''}token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/${v2 ? 'v2.0/' : ''}keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: v2 ? issuers.v2(issuerTenant) : issuers.v1(issuerTenant),
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base}/oauth2/${v2 ? 'v2.0/' : ''}authorize`,
      device_authorization_endpoint: `${base}/oauth2/${v2 ? 'v2.0/' : ''}devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/${v2 ? 'v2.0/' : ''}logout`,
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'acr',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'email',
      ],
      tenant_region_scope: 'WW',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
    }
  }

  const schema = (operationId: string, summary: string) => ({
    operationId,
    summary,
    tags: TAGS,
    params: TenantParams,
    response: { 200: { ...JsonObject, description: summary }, ...entraErrorResponses() },
  })

  app.get(
    '/:tenant/v2.0/.well-known/openid-configuration',
    { schema: schema('Entra-OpenIdConfigurationV2', 'OpenID configuration (v2.0)') },
    async (request, reply) => {
      reply.headers(cacheable)
      return openidConfiguration('v2', request, request.params.tenant)
    },
  )
  app.get(
    '/:tenant/.well-known/openid-configuration',
    { schema: schema('Entra-OpenIdConfiguration', 'OpenID configuration (v1)') },
    async (request, reply) => {
      reply.headers(cacheable)
      return openidConfiguration('v1', request, request.params.tenant)
    },
  )

  const keySet = (version: 'v1' | 'v2', tenantParam: string) => {
    const segment = resolveTenantSegment(repos, tenantParam)
    const selected = segment.kind === 'tenant' ? [keys.forTenant(segment.tenant.id)!] : keys.all()
    return { keys: selected.map((key) => jwk(key, version === 'v2' ? issuers.v2(key.tenantId) : undefined)) }
  }
  app.get(
    '/:tenant/discovery/v2.0/keys',
    { schema: schema('Entra-KeysV2', 'Signing keys (v2.0)') },
    async (request, reply) => {
      reply.headers(cacheable)
      return keySet('v2', request.params.tenant)
    },
  )
  app.get(
    '/:tenant/discovery/keys',
    { schema: schema('Entra-Keys', 'Signing keys (v1)') },
    async (request, reply) => {
      reply.headers(cacheable)
      return keySet('v1', request.params.tenant)
    },
  )

  // entra.md §3.4. MSAL asks login.microsoftonline.com for this; the emulator answers it for the
  // host the client used, which names itself as its only alias.
  app.get(
    '/common/discovery/instance',
    {
      schema: {
        operationId: 'Entra-InstanceDiscovery',
        summary: 'Instance discovery',
        tags: TAGS,
        querystring: Type.Object(
          {
            'api-version': Type.Optional(Type.String()),
            authorization_endpoint: Type.Optional(Type.String()),
          },
          { additionalProperties: true },
        ),
        response: {
          200: { ...JsonObject, description: 'Instance discovery metadata' },
          ...entraErrorResponses(),
        },
      },
    },
    async (request, reply) => {
      reply.headers(cacheable)
      const host = request.host
      // Through the HTTPS proxy the client asked Microsoft's own host: answer as it does, aliases
      // and all (entra.md §3.4), so MSAL's default authority works unchanged.
      const metadata = MICROSOFT_LOGIN_ALIASES.includes(host.toLowerCase())
        ? {
            preferred_network: 'login.microsoftonline.com',
            preferred_cache: 'login.windows.net',
            aliases: MICROSOFT_LOGIN_ALIASES,
          }
        : { preferred_network: host, preferred_cache: host, aliases: [host] }
      return {
        tenant_discovery_endpoint: `${origin(request)}/{tenant}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [metadata],
      }
    },
  )
}

export default discovery
