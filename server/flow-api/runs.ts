import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import { PathSegment } from '../../schemas/common.ts'
import { FlowRun, FlowRunList } from '../../schemas/flow-run.ts'
import { callerOf } from '../plugins/auth.ts'
import { errors } from '../errors/index.ts'
import { requireFlow, resolveEnvironment } from './environment-access.ts'
import { errorResponses, FlowParams, SECURITY, TAGS } from './route-schemas.ts'
import type { Surface } from './surface.ts'
import { toFlowRun } from './views.ts'

const RunParams = Type.Object({ ...FlowParams.properties, run: PathSegment })

/**
 * A flow's runs as admin (`flow run list --asAdmin` of the CLI for Microsoft 365), from the
 * fixtures' run history. Not connector operations: the Flow API surface only.
 */
const runs: FastifyPluginAsyncTypebox<{ surface: Surface }> = async (app, { surface }) => {
  const { repos } = app
  app.get(
    '/environments/:environment/flows/:flow/runs',
    {
      schema: {
        operationId: 'List-AdminFlowRuns',
        summary: "List a flow's runs as admin",
        tags: TAGS,
        security: SECURITY,
        params: FlowParams,
        querystring: surface.query('standard'),
        response: { 200: FlowRunList, ...errorResponses(surface, 404) },
      },
    },
    (request) => {
      const env = resolveEnvironment(repos, callerOf(request), request.params.environment)
      const flow = requireFlow(repos, env, request.params.flow)
      return { value: repos.flows.listRuns(env.name, flow.name).map((row) => toFlowRun(row, env)) }
    },
  )
  app.get(
    '/environments/:environment/flows/:flow/runs/:run',
    {
      schema: {
        operationId: 'Get-AdminFlowRun',
        summary: 'Get a run of a flow as admin',
        tags: TAGS,
        security: SECURITY,
        params: RunParams,
        querystring: surface.query('standard'),
        response: { 200: FlowRun, ...errorResponses(surface, 404) },
      },
    },
    (request) => {
      const env = resolveEnvironment(repos, callerOf(request), request.params.environment)
      const flow = requireFlow(repos, env, request.params.flow)
      const run = repos.flows.findRun(env.name, flow.name, request.params.run)
      if (!run) throw errors.flowRunNotFound(request.params.run)
      return toFlowRun(run, env)
    },
  )
}

export default runs
