import type { FastifyError, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

import { errors, GatewayError } from '../errors/index.ts'
import { sendGatewayError, sendServiceError } from '../http/reply.ts'
import { toServiceError } from '../http/service-errors.ts'

/**
 * The one error handler: every error leaves as the service's envelope `{"error":{"code","message"}}`
 * with its catalog status. Anything unexpected is a 500 whose details are logged, never sent.
 */
async function errorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof GatewayError) {
      sendGatewayError(reply, error)
      return
    }
    const known = toServiceError(error, request)
    if (known) {
      if (known.statusCode >= 500) request.log.error({ err: error }, 'request failed')
      sendServiceError(reply, known)
      return
    }
    request.log.error({ err: error }, 'unhandled error')
    sendServiceError(reply, errors.internal())
  })
  app.setNotFoundHandler((request, reply) => {
    sendServiceError(reply, errors.routeNotFound(request.method, request.url.split('?')[0] ?? ''))
  })
}

export default fp(errorHandler, { name: 'error-handler', fastify: '5.x' })
