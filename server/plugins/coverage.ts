import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'

import { COVERAGE_SURFACES, type CoverageSurface } from '../coverage/coverage.ts'
import { connectionOf, operationIdOf, tenantOf } from '../http/request-facts.ts'
import { surfaceOfRequest, surfaceOfRoute, type SurfaceName } from '../http/surface.ts'

const isCoverageSurface = (surface: SurfaceName | undefined): surface is CoverageSurface =>
  COVERAGE_SURFACES.some((covered) => covered === surface)

/**
 * Contract coverage: each route of a client-facing surface declares its operation and the
 * statuses its schema documents as it is added, so a new route is covered without a list to
 * keep; each answer of such a route is counted once it is sent.
 */
async function coverage(app: FastifyInstance) {
  const { coverage: tally } = app
  // A route's surface is set by its surface's own onRoute hook, which runs after this one: the
  // routes are read once every one is added.
  const routes: RouteOptions[] = []
  app.addHook('onRoute', (route) => {
    routes.push(route)
  })
  app.addHook('onReady', (done) => {
    for (const route of routes.splice(0)) {
      const schema = route.schema as { operationId?: string; hide?: boolean; response?: object } | undefined
      const surface = surfaceOfRoute(route)
      if (!schema?.operationId || schema.hide || !isCoverageSurface(surface)) continue
      tally.document(
        surface,
        schema.operationId,
        Object.keys(schema.response ?? {}).filter((status) => /^\d{3}$/.test(status)),
      )
    }
    done()
  })
  // An Entra URL names its tenant by id or domain: counted under the id, which a filter and a reset use.
  const tenantIdOf = (request: FastifyRequest): string | null => {
    const tenant = tenantOf(request)
    if (request.caller || tenant === null) return tenant
    return app.repos.tenants.resolve(tenant)?.id ?? tenant
  }
  app.addHook('onResponse', (request, reply, done) => {
    const operationId = operationIdOf(request)
    const surface = surfaceOfRequest(request)
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
