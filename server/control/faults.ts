import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import { controlPlaneErrors, errors } from '../errors/index.ts'
import { sendEmpty } from '../flow-api/route-schemas.ts'
import { AnyObject, controlErrors, TAGS } from './schemas.ts'

/** A fault rule as a client writes it; unknown fields are a 400, never ignored. */
const FaultRuleBody = Type.Object(
  {
    preset: Type.Optional(
      Type.Enum(['throttle', 'unavailable'], { description: 'throttle: the gateway 429; unavailable: 503' }),
    ),
    operationId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    method: Type.Optional(Type.Enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'])),
    path: Type.Optional(
      Type.String({ minLength: 1, maxLength: 1024, description: 'Glob: * within a segment, ** across' }),
    ),
    tenant: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    connection: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    status: Type.Optional(Type.Integer({ minimum: 200, maximum: 599 })),
    body: Type.Optional(Type.Unknown({ description: 'Response body (JSON)' })),
    headers: Type.Optional(
      Type.Record(Type.String({ maxLength: 128 }), Type.String({ maxLength: 4096 }), { maxProperties: 50 }),
    ),
    delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 120_000 })),
    dropConnection: Type.Optional(Type.Boolean()),
    times: Type.Optional(Type.Integer({ minimum: 1 })),
    probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
)

/** /_emulator/faults: add, list and remove fault rules. */
const faults: FastifyPluginAsyncTypebox = async (app) => {
  const { faults: rules } = app.emulator
  app.post(
    '/_emulator/faults',
    {
      schema: {
        operationId: 'Emulator-AddFault',
        summary: 'Add a fault rule',
        tags: TAGS,
        body: FaultRuleBody,
        response: { 201: { ...AnyObject, description: 'The rule, with its id' }, ...controlErrors() },
      },
    },
    async (request, reply) => {
      const rule = request.body
      if (
        rule.preset === undefined &&
        rule.status === undefined &&
        rule.delayMs === undefined &&
        !rule.dropConnection
      ) {
        throw errors.invalidRequestContent(
          'body must say what the fault does: status, delayMs, dropConnection or preset',
        )
      }
      if (
        (rule.body !== undefined || rule.headers !== undefined) &&
        rule.status === undefined &&
        rule.preset === undefined
      ) {
        throw errors.invalidRequestContent('body.body and body.headers need body.status (or a preset)')
      }
      return reply.code(201).send(rules.add(rule))
    },
  )
  app.get(
    '/_emulator/faults',
    {
      schema: {
        operationId: 'Emulator-ListFaults',
        summary: 'List fault rules',
        tags: TAGS,
        response: {
          200: Type.Object({ value: Type.Array(AnyObject) }, { description: 'Rules' }),
          ...controlErrors(),
        },
      },
    },
    async () => ({ value: rules.list() }),
  )
  app.delete(
    '/_emulator/faults/:id',
    {
      schema: {
        operationId: 'Emulator-DeleteFault',
        summary: 'Remove a fault rule',
        tags: TAGS,
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 204: Type.Null({ description: 'Removed' }), ...controlErrors(404) },
      },
    },
    async (request, reply) => {
      if (!rules.remove(request.params.id)) throw controlPlaneErrors.faultNotFound(request.params.id)
      sendEmpty(reply, 204)
    },
  )
  app.delete(
    '/_emulator/faults',
    {
      schema: {
        operationId: 'Emulator-ClearFaults',
        summary: 'Remove every fault rule',
        tags: TAGS,
        response: { 204: Type.Null({ description: 'Removed' }), ...controlErrors() },
      },
    },
    async (_request, reply) => {
      rules.clear()
      sendEmpty(reply, 204)
    },
  )
}

export default faults
