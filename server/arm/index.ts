import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import type { SubscriptionRow } from '../../db/repositories/subscriptions.ts'
import { ArmSubscriptionList, ArmTenantList, type ArmSubscription } from '../../schemas/arm.ts'
import { ErrorEnvelope, HOST_NOT_ALLOWED } from '../../schemas/common.ts'
import { described, presetResponses } from '../../schemas/responses.ts'
import { ARM_AUDIENCES } from '../auth/audiences.ts'
import { createTokenVerifier } from '../auth/token-verifier.ts'
import { errors } from '../errors/index.ts'
import { authenticateThen, callerOf } from '../plugins/auth.ts'
import { markSurface } from '../http/surface.ts'

const TAGS = ['Azure Resource Manager']
const ApiVersionQuery = Type.Object(
  {
    'api-version': Type.Optional(
      Type.String({ maxLength: 64, description: 'Any dated ARM api-version (required)' }),
    ),
  },
  { additionalProperties: true },
)
const errorResponses = {
  400: described(ErrorEnvelope, 'api-version missing or not a dated version'),
  401: described(ErrorEnvelope, 'Missing or invalid bearer token for ARM'),
  403: described(ErrorEnvelope, HOST_NOT_ALLOWED),
  ...presetResponses(),
}

/** ARM versions are dates, with an optional `-preview` (the emulator accepts any of them). */
function checkArmApiVersion(request: FastifyRequest): void {
  const value = (request.query as Record<string, unknown>)['api-version']
  if (value === undefined || value === '') throw errors.missingApiVersion()
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(value))
    throw errors.invalidArmApiVersion(typeof value === 'string' ? value : JSON.stringify(value))
}

/**
 * The two Azure Resource Manager calls around a sign-in (entra.md "Observed client behaviour"):
 * `az login` lists `/subscriptions` right after its token and, for a user, `/tenants`. Tokens must
 * be for ARM. Every other ARM path stays unserved.
 */
export default async function azureResourceManager(app: FastifyInstance): Promise<void> {
  markSurface(app, 'arm')
  const typed = app.withTypeProvider<TypeBoxTypeProvider>()
  const { keys, clock, issuers, repos } = app
  const verify = createTokenVerifier({ keys, clock, issuers, audiences: ARM_AUDIENCES })
  app.addHook('onRequest', function armGate(request, _reply, done) {
    authenticateThen(verify, request, () => checkArmApiVersion(request), done)
  })

  typed.get(
    '/tenants',
    {
      schema: {
        operationId: 'ARM-ListTenants',
        summary: "The caller's tenant, as ARM lists tenants",
        tags: TAGS,
        querystring: ApiVersionQuery,
        response: { 200: ArmTenantList, ...errorResponses },
      },
    },
    (request) => {
      const tenant = repos.tenants.findById(callerOf(request).tenantId)
      return {
        value: tenant
          ? [
              {
                id: `/tenants/${tenant.id}`,
                tenantId: tenant.id,
                countryCode: 'US',
                displayName: tenant.display_name,
                domains: [tenant.domain],
                tenantCategory: 'Home' as const,
                defaultDomain: tenant.domain,
                tenantType: 'AAD',
              },
            ]
          : [],
      }
    },
  )
  typed.get(
    '/subscriptions',
    {
      schema: {
        operationId: 'ARM-ListSubscriptions',
        summary: "The caller tenant's subscriptions, from the fixtures",
        tags: TAGS,
        querystring: ApiVersionQuery,
        response: { 200: ArmSubscriptionList, ...errorResponses },
      },
    },
    (request) => {
      const tenantId = callerOf(request).tenantId
      const value = repos.subscriptions.listForTenant(tenantId).map(toArmSubscription)
      return { count: { type: 'Total' as const, value: value.length }, value }
    },
  )
}

/** A stored subscription in ARM's shape; `tags` only when it has some, as ARM writes it. */
function toArmSubscription(row: SubscriptionRow): ArmSubscription {
  return {
    id: `/subscriptions/${row.subscription_id}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    ...(Object.keys(row.tags).length > 0 ? { tags: row.tags } : {}),
    subscriptionId: row.subscription_id,
    tenantId: row.tenant_id,
    displayName: row.display_name,
    state: row.state,
    subscriptionPolicies: {
      locationPlacementId: row.location_placement_id,
      quotaId: row.quota_id,
      spendingLimit: row.spending_limit,
    },
  }
}
