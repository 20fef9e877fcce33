import type { FastifyInstance } from 'fastify'

import { requireControlAccess } from './access.ts'
import clock from './clock.ts'
import connections from './connections.ts'
import faults from './faults.ts'
import health from './health.ts'
import requests from './requests.ts'
import state from './state.ts'
import throttling from './throttling.ts'
import tokens from './tokens.ts'

/**
 * The emulator's control plane, under /_emulator on every listener: loopback clients only, or
 * any client with the `--control-key`. Its own errors use the service envelope.
 */
export default async function controlPlane(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', requireControlAccess)
  for (const plugin of [health, state, tokens, connections, requests, faults, clock, throttling])
    await app.register(plugin)
}
