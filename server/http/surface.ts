import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify'

/**
 * Which part of the emulator a route belongs to. Each surface's plugin marks its own routes
 * (`markSurface`), so the journal, the coverage report, fault rules and the OpenAPI document read
 * a route's surface from its config rather than from its URL.
 */
export type SurfaceName = 'flow' | 'connector' | 'entra' | 'graph' | 'arm' | 'control' | 'docs'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The surface the route belongs to, set by the plugin that serves it. */
    surface?: SurfaceName
  }
}

/**
 * Marks every route `app` and its children add as one of `surface`. Call it in the surface's
 * own (encapsulated) plugin, before its routes: on the root it would mark every route.
 */
export function markSurface(app: FastifyInstance, surface: SurfaceName): void {
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, surface }
  })
}

/** The surface of a route, as `onRoute` hooks and the OpenAPI transform see it. */
export const surfaceOfRoute = (route: { config?: FastifyContextConfig }): SurfaceName | undefined =>
  route.config?.surface

/** The surface of the route a request matched; undefined for a request no route matched (a 404). */
export const surfaceOfRequest = (request: FastifyRequest): SurfaceName | undefined =>
  request.routeOptions.config.surface

/** The emulator's own routes (control plane, dashboard, documents): never journaled or faulted. */
export const isEmulatorOwn = (surface: SurfaceName | undefined): boolean =>
  surface === 'control' || surface === 'docs'
