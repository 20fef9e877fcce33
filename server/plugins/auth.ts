import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

import type { Caller } from '../auth/token-verifier.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller; set by `authenticate` on routes that need a token. */
    caller: Caller | null
  }
}

async function auth(app: FastifyInstance) {
  app.decorateRequest('caller', null)
}

export default fp(auth, { name: 'auth', fastify: '5.x', dependencies: ['emulator-context'] })

/** onRequest hook for protected routes: verifies the bearer token or answers 401. */
export async function authenticate(this: FastifyInstance, request: FastifyRequest): Promise<void> {
  request.caller = await this.emulator.verifier(request.headers.authorization)
}

/** The same on the connector surface, which also accepts tokens for the connector runtime. */
export async function authenticateConnectorCall(
  this: FastifyInstance,
  request: FastifyRequest,
): Promise<void> {
  request.caller = await this.emulator.connectorVerifier(request.headers.authorization)
}

/** The caller of a route behind `authenticate` (a programming error if called elsewhere). */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error('callerOf() used on a route without authenticate')
  return request.caller
}
