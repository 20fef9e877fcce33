import type { FastifyInstance, FastifyRequest } from 'fastify'

import { requireFlowAdmin } from '../auth/authorize.ts'
import { authenticateThen, callerOf } from '../plugins/auth.ts'
import { throttle } from '../plugins/throttle.ts'
import { callerKey } from '../throttle/connection-key.ts'
import { checkApiVersion } from './api-version.ts'
import approvals from './approvals.ts'
import environments from './environments.ts'
import flows from './flows.ts'
import permissions from './permissions.ts'
import runContents from './run-contents.ts'
import runs from './runs.ts'
import { FLOW_SURFACE, type Surface } from './surface.ts'
import users from './users.ts'
import { markSurface } from '../http/surface.ts'

/** Where the Flow service serves its admin operations (flow-admin-api.md §1.1). */
export const FLOW_PROVIDER_PREFIX = '/providers/Microsoft.ProcessSimple'
export const FLOW_ADMIN_PREFIX = `${FLOW_PROVIDER_PREFIX}/scopes/admin`

/**
 * The admin operations, as either surface serves them. Their handlers are plain functions, not
 * async ones: none awaits anything, and Fastify sends what a plain handler returns (or throws) in
 * the same tick, without the promise and microtask of an async one.
 * A plain handler must return its payload or send its reply on every path.
 */
export async function registerAdminOperations(app: FastifyInstance, surface: Surface): Promise<void> {
  await app.register(flows, { surface })
  await app.register(permissions, { surface })
  await app.register(users, { surface })
  await app.register(approvals, { surface })
}

/** A step of the request gate: the caller must be an admin of its tenant (403 otherwise). */
export function requireAdmin(app: FastifyInstance, request: FastifyRequest): void {
  requireFlowAdmin(callerOf(request), app.repos.directory)
}

/**
 * The gate of the direct Flow API (api.flow.microsoft.com): every route needs a verified token
 * (401), counts against the caller's own throttle window with --throttle-flow-api (429), needs a
 * valid api-version (400) and, on the admin routes, an admin caller (403), checked in that order
 * before the body is read.
 */
function addFlowApiGate(app: FastifyInstance, options: { admin: boolean }): void {
  // One hook runs the checks in order: fewer hook hand-offs on every call.
  app.addHook('onRequest', function flowApiGate(request, _reply, done) {
    authenticateThen(
      this.tokenVerifier,
      request,
      () => {
        // Without a connection id, the connection is the caller's identity: tenant, principal and
        // client app. The limit is the connector gateway's: the direct API counts calls against it
        // only with --throttle-flow-api.
        request.connectionKey = callerKey(callerOf(request))
        if (this.settings.throttleFlowApi) throttle(this, request)
        checkApiVersion(request)
        if (options.admin) requireAdmin(this, request)
      },
      done,
    )
  })
}

/** The Flow admin API, under FLOW_ADMIN_PREFIX. */
export default async function flowAdminApi(app: FastifyInstance): Promise<void> {
  markSurface(app, 'flow')
  addFlowApiGate(app, { admin: true })
  await registerAdminOperations(app, FLOW_SURFACE)
  await app.register(runs, { asAdmin: true })
}

/** The Flow API's own routes for any caller of the tenant, under FLOW_PROVIDER_PREFIX. */
export async function flowTenantApi(app: FastifyInstance): Promise<void> {
  markSurface(app, 'flow')
  await app.register(async (gated) => {
    addFlowApiGate(gated, { admin: false })
    await gated.register(environments)
    await gated.register(runs, { asAdmin: false })
  })
  // Signed links, read without a token: outside the gate.
  await app.register(runContents)
}
