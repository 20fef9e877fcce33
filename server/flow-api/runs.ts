import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'

import type { EnvironmentRow } from '../../db/repositories/environments.ts'
import type { FlowRunRow } from '../../db/repositories/flows.ts'
import { PathSegment } from '../../schemas/common.ts'
import { FlowRun, FlowRunList } from '../../schemas/flow-run.ts'
import { callerOf } from '../plugins/auth.ts'
import { errors } from '../errors/index.ts'
import { requireFlow, resolveEnvironment } from './environment-access.ts'
import { triggerOutputsLink } from './run-contents.ts'
import { errorResponses, FlowParams, SECURITY, TAGS } from './route-schemas.ts'
import { FLOW_SURFACE } from './surface.ts'
import { toFlowRun } from './views.ts'

const RunParams = Type.Object({ ...FlowParams.properties, run: PathSegment })

/**
 * A flow's runs, from the fixtures' run history: as admin (`flow run list --asAdmin` of the CLI for
 * Microsoft 365), or on the caller's own path for a flow the caller has a role on (`flow run get`).
 * Not connector operations: the Flow API surface only.
 */
const runs: FastifyPluginAsyncTypebox<{ asAdmin: boolean }> = async (app, { asAdmin }) => {
  const { repos, clock } = app
  const ids = asAdmin
    ? { list: 'List-AdminFlowRuns', get: 'Get-AdminFlowRun' }
    : { list: 'List-FlowRuns', get: 'Get-FlowRun' }
  const who = asAdmin ? 'as admin' : 'the caller has a role on'

  function flowOf(request: FastifyRequest<{ Params: { environment: string; flow: string } }>) {
    const caller = callerOf(request)
    const env = resolveEnvironment(repos, caller, request.params.environment)
    const flow = requireFlow(repos, env, request.params.flow)
    // EMULATOR: inferred; a flow the caller has no role on is as absent as a missing one.
    if (!asAdmin && !repos.permissions.find(env.name, flow.name, caller.objectId))
      throw errors.flowNotFound(request.params.flow)
    return { env, flow }
  }
  const view = (request: FastifyRequest, env: EnvironmentRow, row: FlowRunRow) =>
    toFlowRun(
      row,
      env,
      triggerOutputsLink(
        repos,
        `${request.protocol}://${request.host}`,
        { tenantId: env.tenant_id, environment: env.name, flow: row.flow, run: row.name },
        row,
        clock.now(),
      ),
    )

  app.get(
    '/environments/:environment/flows/:flow/runs',
    {
      schema: {
        operationId: ids.list,
        summary: `List the runs of a flow ${who}`,
        tags: TAGS,
        security: SECURITY,
        params: FlowParams,
        querystring: FLOW_SURFACE.query('standard'),
        response: { 200: FlowRunList, ...errorResponses(FLOW_SURFACE, 404) },
      },
    },
    (request) => {
      const { env, flow } = flowOf(request)
      return { value: repos.flows.listRuns(env.name, flow.name).map((row) => view(request, env, row)) }
    },
  )
  app.get(
    '/environments/:environment/flows/:flow/runs/:run',
    {
      schema: {
        operationId: ids.get,
        summary: `Get a run of a flow ${who}`,
        tags: TAGS,
        security: SECURITY,
        params: RunParams,
        querystring: FLOW_SURFACE.query('standard'),
        response: { 200: FlowRun, ...errorResponses(FLOW_SURFACE, 404) },
      },
    },
    (request) => {
      const { env, flow } = flowOf(request)
      const run = repos.flows.findRun(env.name, flow.name, request.params.run)
      if (!run) throw errors.flowRunNotFound(request.params.run)
      return view(request, env, run)
    },
  )
}

export default runs
