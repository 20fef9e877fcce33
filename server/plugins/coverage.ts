import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

import { COVERAGE_SURFACES, type CoverageSurface } from '../coverage/coverage.ts'
import { connectionOf, operationIdOf, surfaceOf, tenantOf } from './journal.ts'

const isCoverageSurface = (surface: string): surface is CoverageSurface =>
  (COVERAGE_SURFACES as readonly string[]).includes(surface)

/**
 * Contract coverage: each route of a client-facing surface declares its operation and the
 * statuses its schema documents as it is added, so a new route is covered without a list to
 * keep; each answer of such a route is counted once it is sent.
 */
async function coverage(app: FastifyInstance) {
  const { coverage: tally } = app
  app.addHook('onRoute', (route) => {
    const schema = route.schema as { operationId?: string; hide?: boolean; response?: object } | undefined
    const surface = surfaceOf(route.url, schema)
    if (!schema?.operationId || schema.hide || !isCoverageSurface(surface)) return
    tally.document(
      surface,
      schema.operationId,
      Object.keys(schema.response ?? {}).filter((status) => /^\d{3}$/.test(status)),
    )
  })
  // An Entra URL names its tenant by id or domain: counted under the id, which a filter and a reset use.
  const tenantIdOf = (request: FastifyRequest): string | null => {
    const tenant = tenantOf(request)
    if (request.caller || tenant === null) return tenant
    return app.repos.tenants.resolve(tenant)?.id ?? tenant
  }
  app.addHook('onResponse', (request, reply, done) => {
    const operationId = operationIdOf(request)
    const surface = surfaceOf(request.url, request.routeOptions.schema)
    if (operationId !== null && isCoverageSurface(surface)) {
      tally.record({
        surface,
        operationId,
        status: reply.statusCode,
        injected: request.injectedFault !== null,
        tenant: tenantIdOf(request),
        connection: connectionOf(request),
      })
    }
    done()
  })
}

export default fp(coverage, {
  name: 'coverage',
  fastify: '5.x',
  dependencies: ['services', 'throttle'],
})
