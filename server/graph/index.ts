import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

import { createTokenVerifier } from '../auth/token-verifier.ts'
import { ServiceError } from '../errors/index.ts'
import { toServiceError } from '../http/service-errors.ts'
import directory from './directory.ts'
import { GraphError, graphErrors } from '../errors/index.ts'
import { sendGraphError } from './respond.ts'
import { markSurface } from '../http/surface.ts'

/** Graph's own resource, in each spelling a Graph token carries it. */
export const GRAPH_AUDIENCES: readonly string[] = [
  'https://graph.microsoft.com',
  'https://graph.microsoft.com/',
  '00000003-0000-0000-c000-000000000000',
]

/** Where Graph's v1.0 endpoint lives: https://graph.microsoft.com/v1.0 */
export const GRAPH_PREFIX = '/v1.0'

/**
 * The Microsoft Graph look-ups tools make around the eight operations: the signed-in
 * user, users and groups by id, UPN or name, read-only from the tenant directory. Tokens must be
 * for Graph; errors use Graph's envelope with its `innerError`.
 */
export default async function graph(app: FastifyInstance): Promise<void> {
  markSurface(app, 'graph')
  const { keys, clock, issuers } = app
  const verify = createTokenVerifier({ keys, clock, issuers, audiences: GRAPH_AUDIENCES })
  app.addHook('onRequest', async (request) => {
    request.caller = await verify(request.headers.authorization)
  })

  const send = (request: FastifyRequest, reply: FastifyReply, error: GraphError) =>
    sendGraphError(request, reply, error, clock.now())

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof GraphError) return send(request, reply, error)
    const service = error instanceof ServiceError ? error : toServiceError(error, request)
    if (!service) throw error
    void reply.headers(service.headers)
    send(request, reply, graphErrors.fromServiceError(service))
  })
  app.setNotFoundHandler((request, reply) => {
    const segment = request.url.split('?')[0]!.split('/').filter(Boolean).slice(1).join('/')
    send(request, reply, graphErrors.segmentNotFound(segment))
  })

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('request-id', request.id)
    if (reply.statusCode < 400) reply.header('odata-version', '4.0')
    return payload
  })

  await app.register(directory)
}
