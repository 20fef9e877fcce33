import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import { COVERAGE_SURFACES } from '../coverage/coverage.ts'
import { controlErrors, TAGS } from './schemas.ts'

const Status = Type.String({ pattern: '^[1-5][0-9][0-9]$', description: 'An HTTP status, as a string' })

const Tally = Type.Object(
  {
    count: Type.Integer({ minimum: 1, description: 'Answers with this status' }),
    injected: Type.Integer({ minimum: 0, description: 'Of which a fault rule answered' }),
  },
  { additionalProperties: false },
)

const OperationCoverage = Type.Object(
  {
    operationId: Type.String({ description: "The operation's id (the connector's own on both surfaces)" }),
    surface: Type.Enum([...COVERAGE_SURFACES]),
    seen: Type.Record(Status, Tally, { description: 'Statuses answered, with counts' }),
    neverSeen: Type.Array(Status, { description: 'Documented statuses no request has received' }),
  },
  { additionalProperties: false },
)

export const CoverageReport = Type.Object(
  {
    since: Type.String({
      format: 'date-time',
      description: 'Start, or the last full reset (emulator clock)',
    }),
    operations: Type.Array(OperationCoverage, {
      description: 'Every documented operation of the client surfaces, called or not',
    }),
  },
  { additionalProperties: false, description: 'Contract coverage' },
)

/** GET /_emulator/coverage: which documented answers a client's test suite has (not) exercised. */
const coverage: FastifyPluginAsyncTypebox = async (app) => {
  const { coverage: tally, repos } = app
  app.get(
    '/_emulator/coverage',
    {
      schema: {
        operationId: 'Emulator-Coverage',
        summary:
          'Which operation answered which status since start or the last reset, and the documented statuses never seen',
        tags: TAGS,
        querystring: Type.Object(
          {
            tenant: Type.Optional(
              Type.String({ minLength: 1, maxLength: 256, description: 'Tenant id, domain or short name' }),
            ),
            connection: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 256,
                description: 'A connection id, or the caller key of a direct call, as the journal names it',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: CoverageReport, ...controlErrors() },
      },
    },
    async (request) => {
      const { tenant, connection } = request.query
      // A name the directory does not know (`common`, `organizations`) is matched as Entra's URL gave it.
      const tenantId = tenant === undefined ? undefined : (repos.tenants.resolve(tenant)?.id ?? tenant)
      return tally.report({ tenant: tenantId, connection })
    },
  )
}

export default coverage
