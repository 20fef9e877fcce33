import { setTimeout as sleep } from 'node:timers/promises'

import type { FastifyInstance, FastifyReply, FastifyRequest, RequestPayload } from 'fastify'
import fp from 'fastify-plugin'

import type { FaultRule } from '../faults/faults.ts'
import { connectionOf, operationIdOf, tenantOf } from '../http/request-facts.ts'
import { isEmulatorOwn, surfaceOfRequest } from '../http/surface.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The fault rule that answered this request instead of its handler, if one did. */
    injectedFault: FaultRule | null
  }
}

/**
 * Applies fault rules. preParsing runs after every onRequest hook (so the caller and the
 * connection are known, and a throttled or refused call is not faulted) and before the body is
 * read (so a dropped connection reads nothing).
 */
async function faults(app: FastifyInstance) {
  const { faults: rules } = app
  app.decorateRequest('injectedFault', null)
  app.addHook('preParsing', (request, reply, payload, done) => {
    // Without rules (nearly always) no promise is made: the hook hands the body straight on.
    if (rules.isEmpty() || isEmulatorOwn(surfaceOfRequest(request))) return done(null, payload)
    applyFault(request, reply, payload).then(
      (body) => done(null, body),
      (error: Error) => done(error),
    )
  })

  async function applyFault(request: FastifyRequest, reply: FastifyReply, payload: RequestPayload) {
    const rule = rules.fire({
      operationId: operationIdOf(request),
      method: request.method,
      path: request.url.split('?')[0] ?? '',
      tenant: tenantOf(request),
      connection: connectionOf(request),
    })
    if (!rule) return payload
    request.log.info({ faultId: rule.id }, 'fault rule fired')
    if (rule.delayMs) await sleep(rule.delayMs)
    if (rule.dropConnection) {
      reply.hijack()
      request.raw.socket.destroy()
      return payload
    }
    if (rule.status !== undefined) {
      request.injectedFault = rule
      const body = rule.body ?? {
        error: { code: 'InjectedFault', message: `Fault injected by rule ${rule.id}.` },
      }
      await reply
        .code(rule.status)
        .headers(rule.headers ?? {})
        .type('application/json')
        .send(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)))
    }
    return payload
  }
}

export default fp(faults, { name: 'faults', fastify: '5.x', dependencies: ['services', 'throttle'] })
