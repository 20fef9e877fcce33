import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

import { isEmulatorOwn, surfaceOfRequest, type SurfaceName } from '../http/surface.ts'
import { journalHeaders, type JournalEntry } from '../journal/journal.ts'
import { connectionOf, operationIdOf, tenantOf } from '../http/request-facts.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The response payload as sent, kept for the journal. */
    journalPayload: unknown
  }
}

const isClientSurface = (
  surface: SurfaceName | undefined,
): surface is Exclude<JournalEntry['surface'], 'other'> =>
  surface === 'flow' || surface === 'connector' || surface === 'entra' || surface === 'graph'

/** The surface of the route a request matched, as the journal names it. */
export function journalSurfaceOf(request: FastifyRequest): JournalEntry['surface'] {
  const surface = surfaceOfRequest(request)
  return isClientSurface(surface) ? surface : 'other'
}

async function journal(app: FastifyInstance) {
  const { journal, clock, events, traffic } = app
  app.decorateRequest('journalPayload', undefined)
  app.addHook('onSend', (request, _reply, payload, done) => {
    if (journal.enabled()) request.journalPayload = payload
    done(null, payload)
  })
  app.addHook('onResponse', (request, reply, done) => {
    if (isEmulatorOwn(surfaceOfRequest(request))) return done()
    const timeMs = clock.now().getTime() - reply.elapsedTime
    traffic.record(timeMs, reply.statusCode)
    if (!journal.enabled()) return done()
    const format = journal.record({
      id: request.id,
      timeMs,
      method: request.method,
      host: request.host,
      path: request.url,
      surface: journalSurfaceOf(request),
      operationId: operationIdOf(request),
      connection: connectionOf(request),
      tenant: tenantOf(request),
      principal: request.caller?.objectId ?? null,
      client: request.caller?.clientId ?? null,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
      // The text sent rather than the parsed value: it waits in the ring as it is, where a parsed
      // body would be formatted on the request path.
      requestBody: request.jsonText ?? request.body,
      responseBody: request.journalPayload,
      // A copy, its credentials redacted now: the ring never holds a bearer token. A token (one
      // to two kilobytes) held for the ring's life would be most of what the garbage collector
      // copies for each request.
      requestHeaders: journalHeaders(request.headers),
      // Fastify's fresh copy, which holds no credential: redacted only when the entry is read.
      responseHeaders: reply.getHeaders(),
    })
    if (events.listenerCount() > 0) events.publish({ type: 'request', data: format() })
    done()
  })
}

export default fp(journal, {
  name: 'journal',
  fastify: '5.x',
  dependencies: ['services', 'throttle'],
})
