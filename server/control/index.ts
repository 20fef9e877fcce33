import type { FastifyInstance, FastifyPluginAsync } from 'fastify'

import { requireControlAccess } from './access.ts'
import clock from './clock.ts'
import connections from './connections.ts'
import coverage from './coverage.ts'
import entryPoints from './entry-points.ts'
import faults from './faults.ts'
import health from './health.ts'
import requests from './requests.ts'
import state from './state.ts'
import throttling from './throttling.ts'
import tokens from './tokens.ts'
import traffic from './traffic.ts'
import { markSurface } from '../http/surface.ts'

export interface ControlPlaneOptions {
  /**
   * Plugins served under the same access rule, such as the dashboard: given by the app, so the
   * control plane does not import what builds on it.
   */
  extensions?: FastifyPluginAsync[]
}

/**
 * The emulator's control plane, under /_emulator on every listener: loopback clients only, or
 * any client with the `--control-key`. Its own errors use the service envelope.
 */
export default async function controlPlane(
  app: FastifyInstance,
  options: ControlPlaneOptions,
): Promise<void> {
  markSurface(app, 'control')
  app.addHook('onRequest', requireControlAccess)
  // The dashboard hears of every change, whoever made it (a test, a script, the dashboard itself).
  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD') return
    app.events.publish({
      type: 'control',
      data: { method: request.method, path: request.url, status: reply.statusCode },
    })
  })
  for (const plugin of [
    entryPoints,
    health,
    state,
    tokens,
    connections,
    requests,
    traffic,
    coverage,
    faults,
    clock,
    throttling,
    ...(options.extensions ?? []),
  ])
    await app.register(plugin)
}
