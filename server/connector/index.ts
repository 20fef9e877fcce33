import type { FastifyInstance } from 'fastify'

import { CONNECTION_ID_PATTERN } from '../../schemas/common.ts'

import { FLOW_ADMIN_PREFIX, registerAdminOperations, requireAdmin } from '../flow-api/index.ts'
import { checkApiVersion } from '../flow-api/api-version.ts'
import { CONNECTOR_SURFACE } from '../flow-api/surface.ts'
import { errors } from '../errors/index.ts'
import { authenticateThen } from '../plugins/auth.ts'
import { throttle } from '../plugins/throttle.ts'
import { connectorKey } from '../throttle/connection-key.ts'
import { resolveConnection } from './connections.ts'
import { markSurface } from '../http/surface.ts'

/** The connector's gateway path (flow-admin-api.md Appendix A): basePath, connection, backend path. */
export const CONNECTOR_PREFIX = `/apim/microsoftflowforadmins/:connectionId${FLOW_ADMIN_PREFIX}`

// Checked here, before the schema's own check, because the throttle keys on it.
const CONNECTION_ID = new RegExp(CONNECTION_ID_PATTERN)

/**
 * Headers the azure-apim.net gateway adds to connector responses (flow-admin-api.md §5.4).
 * `x-ms-request-id` is already on every response.
 */
const GATEWAY_HEADERS: Record<string, string> = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'timing-allow-origin': '*',
  'x-ms-apihub-cached-response': 'true',
  'x-ms-apihub-obo': 'false',
  'cache-control': 'no-store, no-cache',
  pragma: 'no-cache',
  expires: '-1',
}

/**
 * The connector surface: the same admin operations behind
 * `/apim/microsoftflowforadmins/{connectionId}`, as Power Apps and Power Automate reach them.
 * Order: token (401), connection id shape (400), throttle per connection (429), connection owner
 * (403 token exchange), api-version (400), admin rights of whom the connection acts as (403).
 * Backend errors pass through unchanged, as the real gateway passes them.
 */
export default async function connectorGateway(app: FastifyInstance): Promise<void> {
  markSurface(app, 'connector')
  // One hook runs the checks in order: fewer hook hand-offs on every call.
  app.addHook('onRequest', function connectorGate(request, reply, done) {
    reply.headers(GATEWAY_HEADERS)
    authenticateThen(
      this.connectorVerifier,
      request,
      () => {
        const connectionId = (request.params as { connectionId?: string }).connectionId ?? ''
        if (!CONNECTION_ID.test(connectionId)) {
          throw errors.invalidRequestContent(
            'params.connectionId must be 1 to 128 URL-safe characters (A-Z, a-z, 0-9, ., _, ~, -)',
          )
        }
        request.connectionKey = connectorKey(connectionId)
        throttle(this, request)
        resolveConnection(this, request)
        checkApiVersion(request)
        requireAdmin(this, request)
      },
      done,
    )
  })
  await registerAdminOperations(app, CONNECTOR_SURFACE)
}
