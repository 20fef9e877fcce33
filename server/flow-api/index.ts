import type { FastifyInstance } from 'fastify'

import { requireFlowAdmin } from '../auth/authorize.ts'
import { authenticate, callerOf } from '../plugins/auth.ts'
import { checkApiVersion } from './api-version.ts'
import approvals from './approvals.ts'
import flows from './flows.ts'
import permissions from './permissions.ts'
import users from './users.ts'

/** Where the Flow service serves its admin operations (flow-admin-api.md §1.1). */
export const FLOW_ADMIN_PREFIX = '/providers/Microsoft.ProcessSimple/scopes/admin'

/**
 * The Flow admin API: every route needs a verified token (401), a valid api-version (400) and an
 * admin caller (403), checked in that order before the body is read.
 */
export default async function flowAdminApi(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', authenticate)
  app.addHook('onRequest', checkApiVersion)
  app.addHook('onRequest', async function (request) {
    requireFlowAdmin(callerOf(request), this.emulator.repos.directory)
  })
  await app.register(flows)
  await app.register(permissions)
  await app.register(users)
  await app.register(approvals)
}
