import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import { JournalEntry } from '../../schemas/control.ts'
import { sendEmpty } from '../http/reply.ts'
import { controlErrors, TAGS } from './schemas.ts'

/** GET and DELETE /_emulator/requests: the request journal. */
const requests: FastifyPluginAsyncTypebox = async (app) => {
  const { journal } = app
  app.get(
    '/_emulator/requests',
    {
      schema: {
        operationId: 'Emulator-ListRequests',
        summary: 'The request journal, newest first',
        tags: TAGS,
        querystring: Type.Object(
          {
            operationId: Type.Optional(Type.String({ maxLength: 128 })),
            status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
            tenant: Type.Optional(Type.String({ maxLength: 256 })),
            connection: Type.Optional(Type.String({ maxLength: 256 })),
            since: Type.Optional(Type.String({ format: 'date-time' })),
            limit: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ value: Type.Array(JournalEntry) }, { description: 'Requests' }),
          ...controlErrors(),
        },
      },
    },
    async (request) => {
      const { since, ...filter } = request.query
      return { value: journal.query({ ...filter, ...(since ? { since: new Date(since) } : {}) }) }
    },
  )
  app.delete(
    '/_emulator/requests',
    {
      schema: {
        operationId: 'Emulator-ClearRequests',
        summary: 'Empty the request journal',
        tags: TAGS,
        response: { 204: Type.Null({ description: 'Emptied' }), ...controlErrors() },
      },
    },
    async (_request, reply) => {
      journal.clear()
      sendEmpty(reply, 204)
    },
  )
}

export default requests
