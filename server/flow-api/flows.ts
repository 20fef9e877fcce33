import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import { Flow, FlowList, FlowListQuery, type FlowState } from '../../schemas/flow.ts'
import { callerOf } from '../plugins/auth.ts'
import { toFlowTimestamp } from '../clock.ts'
import { errors } from '../errors/index.ts'
import { requireFlow, resolveEnvironment } from './environment-access.ts'
import { EnvironmentParams, errorResponses, FlowParams, noContent, SECURITY, TAGS } from './route-schemas.ts'
import { sendEmpty } from '../http/reply.ts'
import type { Surface } from './surface.ts'
import { retentionCutoff, SOFT_DELETE_RETENTION_DAYS } from './soft-delete.ts'
import { toFlow } from './views.ts'

const DEFAULT_PAGE_SIZE = 50

/** Flows: list, get, enable, disable and remove (flow-admin-api.md §1.1, §4). */
const flows: FastifyPluginAsyncTypebox<{ surface: Surface }> = async (app, { surface }) => {
  const { repos, clock } = app

  const listSchema = (operationId: string, summary: string) => ({
    operationId,
    summary,
    tags: TAGS,
    security: SECURITY,
    params: surface.params(EnvironmentParams),
    querystring: FlowListQuery,
    response: { 200: FlowList, ...errorResponses(surface) },
  })

  if (surface.servesFlowReads) registerReads()

  function registerReads() {
    for (const [path, operationId, summary] of [
      ['/environments/:environment/flows', 'List-AdminFlows', 'List the flows of an environment as admin'],
      [
        '/environments/:environment/v2/flows',
        'List-AdminFlowsV2',
        'List the flows of an environment as admin (V2)',
      ],
    ] as const) {
      app.get(path, { schema: listSchema(operationId, summary) }, (request) => {
        const env = resolveEnvironment(repos, callerOf(request), request.params.environment)
        const top = request.query.$top ?? DEFAULT_PAGE_SIZE
        const after = decodeSkipToken(request.query.$skiptoken)
        // One row more than the page tells whether a next page exists without counting.
        const rows =
          request.query.include === 'softDeletedFlows'
            ? repos.flows.pageWithDeleted(env.name, after, top + 1, retentionCutoff(clock.now()))
            : repos.flows.page(env.name, after, top + 1)
        const page = rows.slice(0, top)
        const last = page.at(-1)
        const nextLink =
          rows.length > top && last
            ? nextPageUrl(request.protocol, request.host, request.url, top, encodeSkipToken(last.name))
            : undefined
        return { value: page.map((row) => toFlow(row, env)), ...(nextLink ? { nextLink } : {}) }
      })
    }

    app.get(
      '/environments/:environment/flows/:flow',
      {
        schema: {
          operationId: 'Get-AdminFlow',
          summary: 'Get a flow as admin',
          tags: TAGS,
          security: SECURITY,
          params: surface.params(FlowParams),
          querystring: surface.query('standard'),
          response: { 200: Flow, ...errorResponses(surface, 404) },
        },
      },
      (request) => {
        const env = resolveEnvironment(repos, callerOf(request), request.params.environment)
        return toFlow(requireFlow(repos, env, request.params.flow), env, 'get')
      },
    )
  }

  const setState = (operationId: string, summary: string, action: 'start' | 'stop', state: FlowState) =>
    app.post(
      `/environments/:environment/flows/:flow/${action}`,
      {
        config: { apiVersion: surface.rule('standard') },
        schema: {
          operationId,
          summary,
          tags: TAGS,
          security: SECURITY,
          params: surface.params(FlowParams),
          querystring: surface.query('standard'),
          // Clients send nothing, an empty body, or `{}`; any JSON object is accepted and ignored.
          // (Fastify validates a missing body as null.)
          body: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
          response: { 200: noContent('The flow is now ' + state), ...errorResponses(surface, 404, 507) },
        },
      },
      (request, reply) => {
        const env = resolveEnvironment(repos, callerOf(request), request.params.environment)
        // One UPDATE and no read first: it matches the live flow by the key requireFlow would use.
        const { flow } = request.params
        if (!repos.flows.setState(env.name, flow, state, toFlowTimestamp(clock.now()))) {
          throw errors.flowNotFound(flow)
        }
        sendEmpty(reply)
      },
    )
  setState('Enable-AdminFlow', 'Enable Flow as Admin', 'start', 'Started')
  setState('Disable-AdminFlow', 'Disable Flow as Admin', 'stop', 'Stopped')

  app.delete(
    '/environments/:environment/flows/:flow',
    {
      config: { apiVersion: surface.rule('standard') },
      schema: {
        operationId: 'Remove-AdminFlow',
        summary: 'Remove Flow as Admin',
        description:
          'Removes the flow with its permissions and run data. A flow that does not exist answers 204 with no body, as the real service does (clients rely on it).',
        tags: TAGS,
        security: SECURITY,
        params: surface.params(FlowParams),
        querystring: surface.query('standard'),
        response: {
          200: noContent('The flow was removed'),
          204: noContent('There was no such flow'),
          ...errorResponses(surface, 507),
        },
      },
    },
    (request, reply) => {
      const env = resolveEnvironment(repos, callerOf(request), request.params.environment)
      const now = clock.now()
      const removed = repos.transaction(() => {
        // Retention ends lazily: expired flows go for good when their environment next sees a delete.
        repos.flows.purgeDeleted(env.name, retentionCutoff(now))
        return repos.flows.softDelete(env.name, request.params.flow, toFlowTimestamp(now))
      })
      // Answered once committed, not from inside the transaction.
      sendEmpty(reply, removed ? 200 : 204)
    },
  )

  if (surface.servesFlowReads) {
    app.post(
      '/environments/:environment/flows/:flow/restore',
      {
        config: { apiVersion: surface.rule('standard') },
        schema: {
          operationId: 'Restore-AdminFlow',
          summary: 'Restore a soft-deleted flow as admin',
          description: `Brings back a flow deleted in the last ${SOFT_DELETE_RETENTION_DAYS} days, with its permissions and runs, in state Stopped (as the CLI for M365's \`flow recyclebinitem restore\` calls it). Not an operation of the connector.`,
          tags: TAGS,
          security: SECURITY,
          params: surface.params(FlowParams),
          querystring: surface.query('standard'),
          body: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
          response: { 200: noContent('The flow is back, stopped'), ...errorResponses(surface, 404, 507) },
        },
      },
      (request, reply) => {
        const env = resolveEnvironment(repos, callerOf(request), request.params.environment)
        const now = clock.now()
        if (!repos.flows.restore(env.name, request.params.flow, retentionCutoff(now), toFlowTimestamp(now))) {
          throw errors.deletedFlowNotFound(request.params.flow)
        }
        sendEmpty(reply)
      },
    )
  }
}

export default flows

function encodeSkipToken(lastName: string): string {
  return Buffer.from(lastName, 'utf8').toString('base64url')
}

function decodeSkipToken(token: string | undefined): string {
  if (token === undefined) return ''
  const decoded = Buffer.from(token, 'base64url').toString('utf8')
  if (decoded === '' || Buffer.from(decoded, 'utf8').toString('base64url') !== token) {
    throw errors.invalidRequestContent(
      `querystring.$skiptoken '${token}' is not a continuation token of this service`,
    )
  }
  return decoded
}

/** The next page's absolute URL: the same request with `$top` and `$skiptoken` set (PowerShell follows `nextLink`). */
function nextPageUrl(protocol: string, host: string, url: string, top: number, skipToken: string): string {
  const next = new URL(url, `${protocol}://${host}`)
  next.searchParams.set('$top', String(top))
  next.searchParams.set('$skiptoken', skipToken)
  return next.toString()
}
