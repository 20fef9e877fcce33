import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import { FaultRule, FaultRuleInput } from '../../schemas/control.ts'
import { controlPlaneErrors, errors } from '../errors/index.ts'
import { sendEmpty } from '../http/reply.ts'
import { controlErrors, TAGS } from './schemas.ts'

/** /_emulator/faults: add, list and remove fault rules. */
const faults: FastifyPluginAsyncTypebox = async (app) => {
  const { faults: rules } = app
  app.post(
    '/_emulator/faults',
    {
      schema: {
        operationId: 'Emulator-AddFault',
        summary: 'Add a fault rule',
        tags: TAGS,
        body: FaultRuleInput,
        response: { 201: FaultRule, ...controlErrors() },
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
        throw errors.invalidControlRequest(
          'body must say what the fault does: status, delayMs, dropConnection or preset',
        )
      }
      if (
        (rule.body !== undefined || rule.headers !== undefined) &&
        rule.status === undefined &&
        rule.preset === undefined
      ) {
        throw errors.invalidControlRequest('body.body and body.headers need body.status (or a preset)')
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
          200: Type.Object({ value: Type.Array(FaultRule) }, { description: 'Rules' }),
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
