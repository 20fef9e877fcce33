/** What the journal, the coverage report and fault rules know of a request, read the same way. */
import type { FastifyRequest } from 'fastify'

import { normaliseId } from '../../schemas/common.ts'
import { connectionName } from '../throttle/connection-key.ts'

/** The operationId of the route: the connector's own ids on both surfaces. */
export function operationIdOf(request: FastifyRequest): string | null {
  return (request.routeOptions.schema as { operationId?: string } | undefined)?.operationId ?? null
}

/** The tenant a request is about: the caller's, or the `{tenant}` of an Entra URL, in its normal spelling. */
export function tenantOf(request: FastifyRequest): string | null {
  if (request.caller) return request.caller.tenantId
  const segment = (request.params as { tenant?: string } | undefined)?.tenant
  return segment === undefined ? null : normaliseId(segment)
}

/** The connection a request counts against, as the journal and fault rules name it: the connection id, or the caller key. */
export function connectionOf(request: FastifyRequest): string | null {
  return request.connectionKey === null ? null : connectionName(request.connectionKey)
}
