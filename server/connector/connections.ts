import type { FastifyInstance, FastifyRequest } from 'fastify'

import type { ConnectionRow } from '../../db/repositories/connections.ts'
import type { Caller } from '../auth/token-verifier.ts'
import { toFlowTimestamp } from '../clock.ts'
import { gatewayErrors } from '../errors/index.ts'
import { callerOf } from '../plugins/auth.ts'

/**
 * Where the gateway's token exchange lives, for its error bodies (flow-admin-api.md §5.3): named
 * after the region of the gateway host the client called, `local` for the emulator's own host.
 */
export function tokenExchangeSource(request: FastifyRequest, connectionId: string): string {
  const region = /^([a-z0-9-]+)\.azure-apim\.net$/i.exec(request.hostname)?.[1] ?? 'local-001'
  return `https://${region}.token.azure-apim.net:443/tokens/${region}/microsoftflowforadmins/${connectionId}/exchange`
}

/** Who a call through a connection acts as: its owner (firstParty) or its app (CertOauth). */
function actingCaller(app: FastifyInstance, connection: ConnectionRow, caller: Caller): Caller | undefined {
  if (connection.auth_type === 'firstParty') return caller
  const registered = app.repos.directory.findApp(connection.tenant_id, connection.client_id ?? '')
  if (!registered) return undefined
  return {
    tenantId: connection.tenant_id,
    objectId: registered.service_principal_id,
    kind: 'app',
    clientId: registered.client_id,
    claims: {},
  }
}

/**
 * A step of the connector surface's request gate, after the throttle: finds the connection (creating a
 * firstParty one for the caller when --auto-connections is on), refuses anyone but its owner, as
 * connections of this connector are not shareable, and makes the call act as the connection.
 */
export function resolveConnection(app: FastifyInstance, request: FastifyRequest): void {
  const { repos, settings, clock } = app
  const connectionId = (request.params as { connectionId: string }).connectionId
  const caller = callerOf(request)
  // Only errors name it: worked out when one is thrown, not on every call.
  const source = () => tokenExchangeSource(request, connectionId)
  let connection = repos.connections.find(connectionId)
  if (!connection) {
    if (!settings.autoConnections) throw gatewayErrors.connectionNotFound(source(), connectionId)
    // A flood of made-up ids must not grow the database without end (--max-auto-connections).
    if (repos.connections.count(caller.tenantId) >= settings.maxAutoConnections) {
      throw gatewayErrors.autoConnectionLimit(source(), connectionId, settings.maxAutoConnections)
    }
    // INSERT OR IGNORE: when many first calls race, the first creates it and the others see it.
    const { row, created } = repos.connections.insertOrGet({
      id: connectionId,
      tenant_id: caller.tenantId,
      owner_id: caller.objectId,
      auth_type: 'firstParty',
      client_id: null,
      pfx_base64: null,
      pfx_password: null,
      created_time: toFlowTimestamp(clock.now()),
    })
    if (created)
      request.log.info(
        { connectionId, owner: caller.objectId },
        'auto-created a firstParty connection for the caller',
      )
    connection = row
  }
  if (connection.tenant_id !== caller.tenantId || connection.owner_id !== caller.objectId) {
    throw gatewayErrors.connectionNotShared(source(), connectionId, caller.objectId)
  }
  const acting = actingCaller(app, connection, caller)
  if (!acting) throw gatewayErrors.connectionNotFound(source(), connectionId)
  request.caller = acting
}
