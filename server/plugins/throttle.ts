import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

import { gatewayErrors } from '../errors/index.ts'
import type { ThrottleDecision } from '../throttle/sliding-window.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The connection a call counts against: the connector's connection id, or the caller's identity. */
    connectionKey: string | null
    throttleDecision: ThrottleDecision | null
  }
}

/**
 * A step of the throttled surfaces' request gate: counts the call against its connection (set by
 * the steps before it) and answers 429 when the window is full.
 */
export function throttle(app: FastifyInstance, request: FastifyRequest): void {
  if (request.connectionKey === null) return
  const decision = app.throttle.hit(request.connectionKey, app.clock.now().getTime())
  request.throttleDecision = decision
  if (!decision.allowed) throw gatewayErrors.rateLimited(decision.retryAfterSeconds)
}

/** With --rate-limit-headers, every throttled response says how much of the window is left. */
async function throttleHeaders(app: FastifyInstance) {
  app.decorateRequest('connectionKey', null)
  app.decorateRequest('throttleDecision', null)
  if (!app.settings.rateLimitHeaders) return
  app.addHook('onSend', async (request, reply, payload) => {
    const decision = request.throttleDecision
    if (decision) {
      reply.header('ratelimit-limit', String(decision.limit))
      reply.header('ratelimit-remaining', String(decision.remaining))
      reply.header('ratelimit-reset', String(decision.resetSeconds))
    }
    return payload
  })
}

export default fp(throttleHeaders, { name: 'throttle', fastify: '5.x', dependencies: ['services'] })
