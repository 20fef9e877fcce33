import type { FastifyReply, FastifyRequest } from 'fastify'

import type { Clock } from '../clock.ts'
import type { EntraError } from '../errors/index.ts'
import { correlationIdOf } from '../plugins/request-ids.ts'
import type { RandomSource } from '../random.ts'

/** Token responses must never be cached (entra.md §1.3). */
export function noStore(reply: FastifyReply): FastifyReply {
  return reply
    .header('cache-control', 'no-store, no-cache')
    .header('pragma', 'no-cache')
    .header('expires', '-1')
}

/** `client-request-id` as MSAL and Azure Identity send it: query, form field or header. */
export function clientRequestId(request: FastifyRequest, random: RandomSource): string {
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.['client-request-id']
  const body = request.body as Record<string, unknown> | undefined
  const fromBody = body && typeof body === 'object' ? body['client-request-id'] : undefined
  const fromHeader = request.headers['client-request-id'] ?? request.headers['x-ms-client-request-id']
  for (const value of [fromQuery, fromBody, fromHeader]) {
    if (typeof value === 'string' && /^[0-9a-fA-F-]{36}$/.test(value)) return value.toLowerCase()
  }
  return correlationIdOf(request.raw, random)
}

/** `2016-01-09 02:02:12Z`: Entra's timestamp, with a space and no fraction. */
function entraTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z')
}

/** The Entra error body (entra.md §1.4): MSAL builds its message from every one of these fields. */
export function entraErrorBody(error: EntraError, traceId: string, correlationId: string, now: Date) {
  const timestamp = entraTimestamp(now)
  return {
    error: error.error,
    error_description: `AADSTS${error.code}: ${error.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [error.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${error.code}`,
  }
}

export function sendEntraError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: EntraError,
  deps: { clock: Clock; random: RandomSource },
): void {
  const body = entraErrorBody(error, request.id, clientRequestId(request, deps.random), deps.clock.now())
  void noStore(reply).code(error.statusCode).type('application/json; charset=utf-8').send(body)
}
