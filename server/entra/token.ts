import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'

import { PathSegment } from '../../schemas/common.ts'
import { entraErrors } from '../errors/index.ts'
import { authorizationCodeGrant } from './grants/authorization-code.ts'
import { clientCredentialsGrant } from './grants/client-credentials.ts'
import { deviceCodeGrant } from './grants/device-code.ts'
import { passwordGrant } from './grants/password.ts'
import { refreshTokenGrant } from './grants/refresh-token.ts'
import { noStore } from './respond.ts'
import { resolveTenantSegment } from './tenant-segment.ts'
import { parseTokenRequest, type TokenRequest } from './token-request.ts'
import type { EndpointVersion } from './token-response.ts'
import { entraErrorResponses } from './responses.ts'

const GRANTS: Record<string, (req: TokenRequest) => Promise<Record<string, string | number>>> = {
  client_credentials: clientCredentialsGrant,
  password: passwordGrant,
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  // MSAL sends the short form; RFC 8628 clients the URN (entra.md §0 item 6).
  device_code: deviceCodeGrant,
  'urn:ietf:params:oauth:grant-type:device_code': deviceCodeGrant,
}

const TokenForm = Type.Object(
  {
    grant_type: Type.Optional(Type.String({ description: Object.keys(GRANTS).join(', ') })),
    client_id: Type.Optional(Type.String()),
    scope: Type.Optional(
      Type.String({ description: 'v2.0: e.g. https://service.flow.microsoft.com//.default' }),
    ),
    resource: Type.Optional(Type.String({ description: 'v1: e.g. https://service.flow.microsoft.com/' })),
  },
  { additionalProperties: true, description: 'application/x-www-form-urlencoded' },
)

/** POST /{tenant}/oauth2/v2.0/token and the v1 POST /{tenant}/oauth2/token (entra.md §1). */
const token: FastifyPluginAsyncTypebox = async (app) => {
  const handle = async (version: EndpointVersion, request: FastifyRequest, tenantParam: string) => {
    const segment = resolveTenantSegment(app.repos, tenantParam)
    const req = parseTokenRequest(app, request, version, segment, tenantParam)
    const grantType = req.required('grant_type')
    const grant = GRANTS[grantType]
    if (!grant) throw entraErrors.unsupportedGrantType(grantType)
    return grant(req)
  }
  const schema = (operationId: string, summary: string) => ({
    operationId,
    summary,
    tags: ['Entra ID'],
    consumes: ['application/x-www-form-urlencoded'],
    params: Type.Object({ tenant: PathSegment }),
    body: TokenForm,
    response: {
      200: Type.Object({}, { additionalProperties: true, description: 'Tokens' }),
      ...entraErrorResponses(),
    },
  })
  for (const [path, version, operationId] of [
    ['/:tenant/oauth2/v2.0/token', 'v2', 'Entra-TokenV2'],
    ['/:tenant/oauth2/token', 'v1', 'Entra-Token'],
  ] as const) {
    app.post(path, { schema: schema(operationId, `Token endpoint (${version})`) }, async (request, reply) => {
      noStore(reply)
      return handle(version, request, request.params.tenant)
    })
  }
}

export default token
