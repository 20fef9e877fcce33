import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import type { Surface } from './surface.ts'
import { callerOf } from '../plugins/auth.ts'
import { resolveEnvironment } from './environment-access.ts'
import { EnvironmentUserParams, errorResponses, noContent, SECURITY, TAGS } from './route-schemas.ts'
import { sendEmpty } from '../http/reply.ts'

/** Flow approvals of a user in an environment (flow-admin-api.md §1.2, Remove-AdminFlowApprovals). */
const approvals: FastifyPluginAsyncTypebox<{ surface: Surface }> = async (app, { surface }) => {
  const { repos } = app

  app.delete(
    '/environments/:environment/users/:userId/approvals',
    {
      // PowerShell's Remove-AdminFlowApprovals sends no api-version at all (flow-admin-api.md §1.2).
      config: { apiVersion: surface.rule('approvals') },
      schema: {
        operationId: 'Remove-AdminFlowApproval',
        summary: 'Remove Flow Approval',
        description: "Deletes the user's approval records in the environment; 200 also when there are none.",
        tags: TAGS,
        security: SECURITY,
        params: surface.params(EnvironmentUserParams),
        querystring: surface.query('approvals'),
        response: { 200: noContent('The approvals were removed'), ...errorResponses(surface, 507) },
      },
    },
    (request, reply) => {
      const env = resolveEnvironment(repos, callerOf(request), request.params.environment)
      const removed = repos.approvals.removeForUser(env.name, request.params.userId)
      request.log.debug({ removed }, 'approvals removed')
      sendEmpty(reply)
    },
  )
}

export default approvals
