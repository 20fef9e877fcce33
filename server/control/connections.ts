import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import type { ConnectionRow } from '../../db/repositories/connections.ts'
import { normaliseId } from '../../schemas/common.ts'
import { ConnectionFixture } from '../../schemas/fixture.ts'
import { toFlowTimestamp } from '../clock.ts'
import { buildConnection } from '../state/connection-factory.ts'
import { controlPlaneErrors } from '../errors/index.ts'
import { sendEmpty } from '../http/reply.ts'
import { controlErrors } from './schemas.ts'
import { requireTenant } from './tenant-lookup.ts'

const Connection = Type.Object(
  {
    id: Type.String(),
    tenantId: Type.String(),
    owner: Type.String({ description: 'Object id of the owner' }),
    authType: Type.Enum(['firstParty', 'CertOauth']),
    clientId: Type.Optional(Type.String()),
    createdTime: Type.String(),
  },
  { description: 'A connection (its certificate and password are never returned)' },
)

/** What the control plane shows of a connection: never its PFX or password. */
function toConnection(row: ConnectionRow) {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    owner: row.owner_id,
    authType: row.auth_type,
    ...(row.client_id ? { clientId: row.client_id } : {}),
    createdTime: row.created_time,
  }
}

const CreateConnection = Type.Object(
  {
    ...ConnectionFixture.properties,
    id: Type.Optional(ConnectionFixture.properties.id),
    tenant: Type.String({ minLength: 1, maxLength: 256, description: 'Tenant id, domain or short name' }),
  },
  { additionalProperties: false },
)

/** /_emulator/connections (loopback only): list, create and delete connections of the connector. */
const connections: FastifyPluginAsyncTypebox = async (app) => {
  const { repos, clock, random } = app
  const tags = ['Emulator']

  app.get(
    '/_emulator/connections',
    {
      schema: {
        operationId: 'Emulator-ListConnections',
        summary: 'List connections',
        tags,
        querystring: Type.Object(
          { tenant: Type.Optional(Type.String({ maxLength: 256 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ value: Type.Array(Connection) }, { description: 'Connections' }),
          ...controlErrors(404),
        },
      },
    },
    async (request) => {
      const tenantId =
        request.query.tenant === undefined ? undefined : requireTenant(repos, request.query.tenant).id
      return { value: repos.connections.list(tenantId).map(toConnection) }
    },
  )

  app.post(
    '/_emulator/connections',
    {
      schema: {
        operationId: 'Emulator-CreateConnection',
        summary: 'Create a connection',
        description:
          'firstParty acts as its owner; CertOauth acts as the app (clientId, PFX and password, as the connector form takes them).',
        tags,
        body: CreateConnection,
        response: {
          201: Connection,
          ...controlErrors(404, 409),
        },
      },
    },
    async (request, reply) => {
      const { tenant: tenantName, clientId, ...input } = request.body
      const tenant = requireTenant(repos, tenantName)
      const id = input.id ?? `shared-microsoftflowforadmins-${random.uuid().replace(/-/g, '')}`
      const connection = {
        ...input,
        id,
        ...(clientId === undefined ? {} : { clientId: normaliseId(clientId) }),
      }
      const built = buildConnection(repos, tenant.id, connection, toFlowTimestamp(clock.now()))
      if ('problem' in built) throw controlPlaneErrors.invalidConnection(built.problem)
      const { row, created } = repos.connections.insertOrGet(built.row)
      if (!created) throw controlPlaneErrors.connectionExists(id)
      return reply.code(201).send(toConnection(row))
    },
  )

  app.delete(
    '/_emulator/connections/:id',
    {
      schema: {
        operationId: 'Emulator-DeleteConnection',
        summary: 'Delete a connection',
        tags,
        params: Type.Object({ id: Type.String({ maxLength: 128 }) }),
        response: { 204: Type.Null({ description: 'Deleted' }), ...controlErrors(404) },
      },
    },
    async (request, reply) => {
      if (!repos.connections.remove(request.params.id))
        throw controlPlaneErrors.connectionNotFound(request.params.id)
      sendEmpty(reply, 204)
    },
  )
}

export default connections
