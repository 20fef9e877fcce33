import type { FastifyReply } from 'fastify'

import type { GatewayError, ServiceError } from '../errors/index.ts'

/** The service's envelope `{"error":{"code","message"}}` with the error's catalog status. */
export function sendServiceError(reply: FastifyReply, error: ServiceError): void {
  void reply
    .code(error.statusCode)
    .headers(error.headers)
    .type('application/json; charset=utf-8')
    .send({ error: { code: error.code, message: error.message } })
}

/**
 * The connector gateway's own error shapes, pre-serialized as a Buffer: they are not the route's
 * error schema, and their Content-Type is exactly `application/json`, without the charset Fastify
 * adds to strings.
 */
export function sendGatewayError(reply: FastifyReply, error: GatewayError): void {
  void reply
    .code(error.statusCode)
    .headers(error.headers)
    .type('application/json')
    .send(Buffer.from(JSON.stringify(error.body)))
}

/** Ends a request with an empty success: no serialization, so no Content-Type and `Content-Length: 0`. */
export function sendEmpty(
  reply: { code(status: number): { send(payload?: unknown): unknown } },
  status = 200,
): unknown {
  return reply.code(status).send()
}

/**
 * Ends a request with a body already serialized as JSON: sent as it is, with the type Fastify gives
 * the JSON it serializes. The route's response schema still documents the body.
 */
export function sendJsonText(
  reply: { type(contentType: string): { send(payload?: unknown): unknown } },
  text: string,
): unknown {
  return reply.type('application/json; charset=utf-8').send(text)
}
