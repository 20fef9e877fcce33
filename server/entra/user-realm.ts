import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import { HOST_NOT_ALLOWED, PathSegment } from '../../schemas/common.ts'
import { described, EntraErrorBody, presetResponses } from '../../schemas/responses.ts'
import { noStore } from './respond.ts'
import { resolveTenantSegment } from './tenant-segment.ts'

/** The public cloud, as Entra names it in discovery and realm answers. */
const CLOUD_INSTANCE_NAME = 'microsoftonline.com'

const UserRealm = Type.Object(
  {
    ver: Type.Literal('1.0'),
    account_type: Type.Union([Type.Literal('Managed'), Type.Literal('Unknown')]),
    domain_name: Type.Optional(Type.String()),
    cloud_instance_name: Type.String(),
    cloud_audience_urn: Type.Optional(Type.String()),
  },
  {
    additionalProperties: false,
    description:
      'Managed, with the domain, for a user of a tenant of the emulator; Unknown for any other domain',
  },
)

/**
 * User realm discovery (entra.md "Observed client behaviour"): MSAL Python and the Azure CLI ask
 * `GET /common/userrealm/{upn}?api-version=1.0` before a password sign-in, and sign in with the
 * password only for a managed (or unknown) domain. Every tenant of the emulator is managed; no
 * domain is federated.
 */
const userRealm: FastifyPluginAsyncTypebox = async (app) => {
  const { repos } = app
  app.get(
    '/:tenant/userrealm/:upn',
    {
      schema: {
        operationId: 'Entra-UserRealm',
        summary: 'User realm discovery',
        tags: ['Entra ID'],
        params: Type.Object({ tenant: PathSegment, upn: PathSegment }),
        querystring: Type.Object(
          { 'api-version': Type.Optional(Type.String({ maxLength: 16 })) },
          { additionalProperties: true },
        ),
        response: {
          200: UserRealm,
          400: described(EntraErrorBody, 'An unknown tenant in the path (AADSTS90002)'),
          403: described(EntraErrorBody, HOST_NOT_ALLOWED),
          ...presetResponses(EntraErrorBody),
        },
      },
    },
    async (request, reply) => {
      // An unknown tenant in the path is refused as every Entra endpoint refuses it (AADSTS90002).
      resolveTenantSegment(repos, request.params.tenant)
      noStore(reply)
      // The domain names a tenant when it is the tenant's verified domain (not its id or short name).
      const domain = request.params.upn.split('@')[1]?.toLowerCase()
      const tenant = domain ? repos.tenants.resolve(domain) : undefined
      if (!tenant || tenant.domain.toLowerCase() !== domain)
        return {
          ver: '1.0' as const,
          account_type: 'Unknown' as const,
          cloud_instance_name: CLOUD_INSTANCE_NAME,
        }
      return {
        ver: '1.0' as const,
        account_type: 'Managed' as const,
        domain_name: tenant.domain,
        cloud_instance_name: CLOUD_INSTANCE_NAME,
        cloud_audience_urn: 'urn:federation:MicrosoftOnline',
      }
    },
  )
}

export default userRealm
