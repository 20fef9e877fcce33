import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

import { Traffic } from '../../schemas/control.ts'
import { controlErrors, TAGS } from './schemas.ts'

/** GET /_emulator/traffic: requests per minute and error counts, as the dashboard's overview shows them. */
const traffic: FastifyPluginAsyncTypebox = async (app) => {
  const { traffic: counter } = app
  app.get(
    '/_emulator/traffic',
    {
      schema: {
        operationId: 'Emulator-GetTraffic',
        summary:
          'Requests in the last minute of the emulator clock, and 4xx, 429 and 5xx answers since start or the last full reset',
        tags: TAGS,
        response: { 200: Traffic, ...controlErrors() },
      },
    },
    async () => counter.report(),
  )
}

export default traffic
