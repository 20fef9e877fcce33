import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import { EnvironmentList, Environment } from '../../schemas/environment.ts'
import { callerOf } from '../plugins/auth.ts'
import { resolveEnvironment } from './environment-access.ts'
import { EnvironmentParams, errorResponses, SECURITY, TAGS } from './route-schemas.ts'
import { FLOW_SURFACE } from './surface.ts'
import { toEnvironment } from './views.ts'

/**
 * The caller tenant's environments, for any signed-in user or app of the tenant (not an admin
 * operation): `flow environment list` and `get` of the CLI for Microsoft 365 call them.
 */
const environments: FastifyPluginAsyncTypebox = async (app) => {
  const { repos } = app
  app.get(
    '/environments',
    {
      schema: {
        operationId: 'List-Environments',
        summary: "List the caller tenant's environments",
        tags: TAGS,
        security: SECURITY,
        querystring: FLOW_SURFACE.query('standard'),
        response: { 200: EnvironmentList, ...errorResponses(FLOW_SURFACE) },
      },
    },
    (request) => ({
      value: repos.environments.listForTenant(callerOf(request).tenantId).map(toEnvironment),
    }),
  )
  app.get(
    '/environments/:environment',
    {
      schema: {
        operationId: 'Get-Environment',
        summary: 'Get an environment of the caller tenant (~default: its default environment)',
        tags: TAGS,
        security: SECURITY,
        params: EnvironmentParams,
        querystring: FLOW_SURFACE.query('standard'),
        response: { 200: Environment, ...errorResponses(FLOW_SURFACE, 404) },
      },
    },
    (request) => toEnvironment(resolveEnvironment(repos, callerOf(request), request.params.environment)),
  )
}

export default environments
