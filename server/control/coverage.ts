import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import { CoverageReport } from '../../schemas/control.ts'
import { controlErrors, TAGS } from './schemas.ts'

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
