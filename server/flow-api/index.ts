import type { FastifyInstance, FastifyRequest } from 'fastify'

import { requireFlowAdmin } from '../auth/authorize.ts'
import { authenticate, callerOf } from '../plugins/auth.ts'
import { throttle } from '../plugins/throttle.ts'
import { callerKey } from '../throttle/connection-key.ts'
import { checkApiVersion } from './api-version.ts'
import approvals from './approvals.ts'
import flows from './flows.ts'
import permissions from './permissions.ts'
import { FLOW_SURFACE, type Surface } from './surface.ts'
import users from './users.ts'

/** Where the Flow service serves its admin operations (flow-admin-api.md §1.1). */
export const FLOW_ADMIN_PREFIX = '/providers/Microsoft.ProcessSimple/scopes/admin'

/** The admin operations, as either surface serves them. */
export async function registerAdminOperations(app: FastifyInstance, surface: Surface): Promise<void> {
  await app.register(flows, { surface })
  await app.register(permissions, { surface })
  await app.register(users, { surface })
  await app.register(approvals, { surface })
}

/** onRequest hook: the caller must be an admin of its tenant (403 otherwise). */
export async function requireAdmin(this: FastifyInstance, request: FastifyRequest): Promise<void> {
  requireFlowAdmin(callerOf(request), this.emulator.repos.directory)
}

/**
 * The Flow admin API (api.flow.microsoft.com): every route needs a verified token (401), counts
 * against the caller's own throttle window (429), needs a valid api-version (400) and an admin
 * caller (403), checked in that order before the body is read.
 */
export default async function flowAdminApi(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', authenticate)
  app.addHook('onRequest', async (request) => {
    // Without a connection id, the connection is the caller's identity: tenant, principal and client app.
    request.connectionKey = callerKey(callerOf(request))
  })
  app.addHook('onRequest', throttle)
  app.addHook('onRequest', checkApiVersion)
  app.addHook('onRequest', requireAdmin)
  await registerAdminOperations(app, FLOW_SURFACE)
}
