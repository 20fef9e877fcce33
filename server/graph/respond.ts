import type { FastifyReply, FastifyRequest } from 'fastify'

import type { GraphError } from '../errors/index.ts'

/** Graph's envelope, with the `innerError` Graph adds to every error. */
export function sendGraphError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: GraphError,
  now: Date,
): void {
  const clientRequestId = request.headers['client-request-id']
  void reply
    .code(error.statusCode)
    .header('request-id', request.id)
    .type('application/json; charset=utf-8')
    .send({
      error: {
        code: error.code,
        message: error.message,
        innerError: {
          date: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          'request-id': request.id,
          'client-request-id': typeof clientRequestId === 'string' ? clientRequestId : request.id,
        },
      },
    })
}
