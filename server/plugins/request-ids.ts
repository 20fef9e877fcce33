import type { IncomingMessage } from 'node:http'

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Logger } from 'pino'

import { GUID_PATTERN } from '../../schemas/common.ts'
import { redactUrl } from '../journal/journal.ts'
import { REQUEST_LINE_MESSAGE } from '../log-format.ts'
import type { RandomSource } from '../random.ts'

/**
 * ARM-style request ids (flow-admin-api.md §4): every response carries `x-ms-request-id` (new for
 * each request) and `x-ms-correlation-request-id` (the client's when it sent a valid GUID, else
 * new). Both are in the request's log line.
 */

const GUID = new RegExp(GUID_PATTERN)
// Kept on the raw request itself, not in a WeakMap: an entry per request in a WeakMap is extra
// work for every young-generation garbage collection.
const CORRELATION_ID = Symbol('correlationId')
type Tagged = IncomingMessage & { [CORRELATION_ID]?: string }

/** The correlation id of a raw request, decided once: only a well-formed GUID from the client is trusted. */
export function correlationIdOf(raw: IncomingMessage, random: RandomSource): string {
  let id = (raw as Tagged)[CORRELATION_ID]
  if (id === undefined) {
    const sent = raw.headers['x-ms-correlation-request-id']
    id = typeof sent === 'string' && GUID.test(sent) ? sent.toLowerCase() : random.uuid()
    ;(raw as Tagged)[CORRELATION_ID] = id
  }
  return id
}

/** Sets both id headers; also used where Fastify answers before any hook runs (bad URLs). */
export function setRequestIdHeaders(
  request: FastifyRequest,
  reply: FastifyReply,
  random: RandomSource,
): void {
  reply.header('x-ms-request-id', request.id)
  reply.header('x-ms-correlation-request-id', correlationIdOf(request.raw, random))
}

interface RequestIdsOptions {
  random: RandomSource
}

async function requestIds(app: FastifyInstance, options: RequestIdsOptions) {
  // Callback-style hooks here and in the journal: no promise per hook per request.
  app.addHook('onRequest', (request, reply, done) => {
    setRequestIdHeaders(request, reply, options.random)
    done()
  })
  // One log line per request, through the request's logger, which carries both ids.
  app.addHook('onResponse', (request, reply, done) => {
    if (!(request.log as Logger).isLevelEnabled('info')) return done()
    request.log.info(
      {
        method: request.method,
        url: redactUrl(request.url),
        statusCode: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
        operation: request.routeOptions.schema?.operationId,
        tenantId: request.caller?.tenantId,
        principalId: request.caller?.objectId,
        connection: request.connectionKey ?? undefined,
      },
      REQUEST_LINE_MESSAGE,
    )
    done()
  })
}

export default fp(requestIds, { name: 'request-ids', fastify: '5.x', dependencies: ['auth'] })
