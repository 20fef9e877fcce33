import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

import type { JournalEntry } from '../journal/journal.ts'
import { connectionName } from '../throttle/connection-key.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The response payload as sent, kept for the journal. */
    journalPayload: unknown
  }
}

/** What is not journaled: the emulator's own control plane and documents. */
export function isEmulatorOwnPath(url: string): boolean {
  return url.startsWith('/_emulator') || url.startsWith('/openapi.')
}

/** The surface a URL (a request's, or a route's pattern) belongs to; Entra's routes carry its tag. */
export function surfaceOf(url: string, schema: unknown): JournalEntry['surface'] {
  if (url.startsWith('/providers/')) return 'flow'
  if (url.startsWith('/apim/')) return 'connector'
  if (url.startsWith('/v1.0/')) return 'graph'
  const tags = (schema as { tags?: string[] } | undefined)?.tags
  return tags?.includes('Entra ID') ? 'entra' : 'other'
}

/** The operationId of the route: the connector's own ids on both surfaces. */
export function operationIdOf(request: FastifyRequest): string | null {
  return (request.routeOptions.schema as { operationId?: string } | undefined)?.operationId ?? null
}

/** The tenant a request is about: the caller's, or the `{tenant}` of an Entra URL. */
export function tenantOf(request: FastifyRequest): string | null {
  return request.caller?.tenantId ?? (request.params as { tenant?: string } | undefined)?.tenant ?? null
}

/** The connection a request counts against, as the journal and fault rules name it: the connection id, or the caller key. */
export function connectionOf(request: FastifyRequest): string | null {
  return request.connectionKey === null ? null : connectionName(request.connectionKey)
}

async function journal(app: FastifyInstance) {
  const { journal, clock, events, traffic } = app
  app.decorateRequest('journalPayload', undefined)
  app.addHook('onSend', (request, _reply, payload, done) => {
    if (journal.enabled()) request.journalPayload = payload
    done(null, payload)
  })
  app.addHook('onResponse', (request, reply, done) => {
    if (isEmulatorOwnPath(request.url)) return done()
    const timeMs = clock.now().getTime() - reply.elapsedTime
    traffic.record(timeMs, reply.statusCode)
    if (!journal.enabled()) return done()
    const format = journal.record({
      id: request.id,
      timeMs,
      method: request.method,
      host: request.host,
      path: request.url,
      surface: surfaceOf(request.url, request.routeOptions.schema),
      operationId: operationIdOf(request),
      connection: connectionOf(request),
      tenant: tenantOf(request),
      principal: request.caller?.objectId ?? null,
      client: request.caller?.clientId ?? null,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
      requestBody: request.body,
      responseBody: request.journalPayload,
      // Node's own objects, kept by reference: copied and redacted only when the entry is read.
      requestHeaders: request.headers,
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
