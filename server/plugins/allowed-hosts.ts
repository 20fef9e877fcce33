import type { TLSSocket } from 'node:tls'

import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

import { controlPlaneErrors, entraErrors } from '../errors/index.ts'
import { hostProblem, type HostPolicy } from '../hosts/allowed-hosts.ts'
import { proxiedHost } from '../hosts/proxied-sockets.ts'
import { surfaceOfRequest } from '../http/surface.ts'

/** Entra's routes answer in Entra's envelope; every other surface's error handler renders a ServiceError. */
const isEntraRoute = (request: FastifyRequest) => surfaceOfRequest(request) === 'entra'

/**
 * The first check of every request on every listener: a `Host` or `Origin` the emulator is not
 * called by gets 403 before anything else runs (hosts/allowed-hosts.ts says which are).
 */
async function allowedHosts(app: FastifyInstance, policy: HostPolicy) {
  app.addHook('onRequest', (request, _reply, done) => {
    const socket = request.raw.socket as Partial<TLSSocket> | undefined
    const problem = hostProblem(
      request.headers,
      {
        localPort: socket?.localPort,
        tls: socket?.encrypted === true,
        proxiedHost: proxiedHost(request.raw.socket),
      },
      policy,
    )
    if (!problem) return done()
    request.log.warn({ header: problem.header, value: problem.value.slice(0, 256) }, 'host not allowed')
    done(
      isEntraRoute(request)
        ? entraErrors.hostNotAllowed(problem.header, problem.value)
        : controlPlaneErrors.hostNotAllowed(problem.header, problem.value),
    )
  })
}

export default fp(allowedHosts, { name: 'allowed-hosts', fastify: '5.x' })
