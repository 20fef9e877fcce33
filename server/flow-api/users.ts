import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import { UserDetails } from '../../schemas/user-details.ts'
import { requireUserCaller } from '../auth/authorize.ts'
import { callerOf } from '../plugins/auth.ts'
import { errors } from '../errors/index.ts'
import { errorResponses, noContent, SECURITY, TAGS, UserParams } from './route-schemas.ts'
import { sendEmpty } from '../http/reply.ts'
import type { Surface } from './surface.ts'
import { toUserDetails } from './views.ts'

/** Flow user details (flow-admin-api.md §2.4): read and remove, users only, scoped to the caller's tenant. */
const users: FastifyPluginAsyncTypebox<{ surface: Surface }> = async (app, { surface }) => {
  const { repos } = app
  const schema = {
    tags: TAGS,
    security: SECURITY,
    params: surface.params(UserParams),
    querystring: surface.query('userDetails'),
  }

  app.get(
    '/users/:userId',
    {
      config: { apiVersion: surface.rule('userDetails') },
      schema: {
        ...schema,
        operationId: 'Get-AdminFlowUserDetails',
        summary: 'Get Flow User Details',
        response: { 200: UserDetails, ...errorResponses(surface, 404) },
      },
    },
    (request) => {
      const caller = callerOf(request)
      requireUserCaller(caller)
      const details = repos.userDetails.find(caller.tenantId, request.params.userId)
      if (!details) throw errors.missingUserDetails(caller.tenantId, request.params.userId)
      return toUserDetails(details)
    },
  )

  app.delete(
    '/users/:userId',
    {
      config: { apiVersion: surface.rule('userDetails') },
      schema: {
        ...schema,
        operationId: 'Remove-AdminFlowUserDetails',
        summary: 'Remove Flow User Details',
        description: 'Refused with 400 while the user is still the Owner of any flow in the tenant.',
        response: { 200: noContent('The user details were removed'), ...errorResponses(surface, 404, 507) },
      },
    },
    (request, reply) => {
      const caller = callerOf(request)
      requireUserCaller(caller)
      const { userId } = request.params
      if (!repos.userDetails.find(caller.tenantId, userId))
        throw errors.missingUserDetails(caller.tenantId, userId)
      const owned = repos.permissions.countOwnedFlows(caller.tenantId, userId)
      if (owned > 0) throw errors.userStillOwnsFlows(userId, owned)
      repos.userDetails.remove(caller.tenantId, userId)
      sendEmpty(reply)
    },
  )
}

export default users
