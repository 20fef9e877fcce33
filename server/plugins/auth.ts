import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

import type { Caller, TokenVerifier } from '../auth/token-verifier.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller; set by `authenticate` on routes that need a token. */
    caller: Caller | null
  }
}

async function auth(app: FastifyInstance) {
  app.decorateRequest('caller', null)
}

export default fp(auth, { name: 'auth', fastify: '5.x', dependencies: ['services'] })

/**
 * The body of a protected surface's onRequest gate: verifies the bearer token (401), sets
 * `request.caller`, then runs the surface's synchronous `checks`, reporting to `done`. A token
 * verified before is taken from the verifier's cache without a promise or a microtask: this runs
 * on every API call.
 */
export function authenticateThen(
  verifier: TokenVerifier,
  request: FastifyRequest,
  checks: () => void,
  done: (error?: Error) => void,
): void {
  // done() outside the try: it runs the rest of the request, and nothing that throws is a gate failure.
  const proceed = (caller: Caller) => {
    request.caller = caller
    try {
      checks()
    } catch (error) {
      done(error as Error)
      return
    }
    done()
  }
  const authorization = request.headers.authorization
  let cached: Caller | undefined
  try {
    cached = verifier.cached(authorization)
  } catch (error) {
    done(error as Error)
    return
  }
  if (cached) proceed(cached)
  else verifier(authorization).then(proceed, (error: Error) => done(error))
}

/** The caller of a request past an authenticating gate (`authenticateThen`); a programming error elsewhere. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error('callerOf() used on a route without authenticateThen')
  return request.caller
}
