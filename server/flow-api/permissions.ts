import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import { ModifyPermissionsBody, PermissionList } from '../../schemas/permission.ts'
import { callerOf } from '../plugins/auth.ts'
import { requireFlow, resolveEnvironment } from './environment-access.ts'
import { modifyPermissions } from './modify-permissions.ts'
import { createPermissionListText } from './permission-list.ts'
import { errorResponses, FlowParams, noContent, SECURITY, TAGS } from './route-schemas.ts'
import { sendEmpty, sendJsonText } from '../http/reply.ts'
import type { Surface } from './surface.ts'

/** A flow's owner roles: read and edit (flow-admin-api.md §2.1, §4). */
const permissions: FastifyPluginAsyncTypebox<{ surface: Surface }> = async (app, { surface }) => {
  const { repos } = app
  const permissionListText = createPermissionListText(repos)

  app.get(
    '/environments/:environment/flows/:flow/permissions',
    {
      config: { apiVersion: surface.rule('standard') },
      schema: {
        operationId: 'Get-AdminFlowOwnerRole',
        summary: 'Get Flow Owner Role as Admin',
        description: 'Every entry in one response, Owner first. Service principals are never listed.',
        tags: TAGS,
        security: SECURITY,
        params: surface.params(FlowParams),
        querystring: surface.query('standard'),
        response: { 200: PermissionList, ...errorResponses(surface, 404) },
      },
    },
    (request, reply) => {
      const env = resolveEnvironment(repos, callerOf(request), request.params.environment)
      const flow = requireFlow(repos, env, request.params.flow)
      sendJsonText(reply, permissionListText(env, flow))
    },
  )

  app.post(
    '/environments/:environment/flows/:flow/modifyPermissions',
    {
      config: { apiVersion: surface.rule('standard') },
      schema: {
        operationId: 'Edit-AdminFlowOwnerRole',
        summary: 'Edit Flow Owner Role as Admin',
        description:
          '`put` upserts roles (CanView, CanViewWithShare, CanEdit); `delete` takes a principal id or a permission id. All or nothing.',
        tags: TAGS,
        security: SECURITY,
        params: surface.params(FlowParams),
        querystring: surface.query('standard'),
        body: ModifyPermissionsBody,
        response: { 200: noContent('The permissions were changed'), ...errorResponses(surface, 404, 507) },
      },
    },
    (request, reply) => {
      const env = resolveEnvironment(repos, callerOf(request), request.params.environment)
      const flow = requireFlow(repos, env, request.params.flow)
      modifyPermissions(repos, env, flow, request.body)
      sendEmpty(reply)
    },
  )
}

export default permissions
