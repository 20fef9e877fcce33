import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import { controlPlaneErrors } from '../errors/index.ts'
import { controlErrors, TAGS } from './schemas.ts'

/** GET /_emulator/health and /_emulator/ready: for test runners, Docker and load balancers. */
const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/_emulator/health',
    {
      schema: {
        operationId: 'Emulator-Health',
        summary: 'Liveness and basic facts',
        tags: TAGS,
        response: {
          200: Type.Object(
            {
              status: Type.Literal('ok'),
              version: Type.String(),
              uptimeSeconds: Type.Number(),
              database: Type.Enum(['memory', 'file']),
            },
            { description: 'Alive' },
          ),
          ...controlErrors(),
        },
      },
    },
    async () => ({
      status: 'ok' as const,
      version: app.about.version,
      uptimeSeconds: Math.round((Date.now() - app.about.startedAt) / 10) / 100,
      database: app.about.database,
    }),
  )
  app.get(
    '/_emulator/ready',
    {
      schema: {
        operationId: 'Emulator-Ready',
        summary:
          'Readiness: 200 once migrations and seeding are done, 503 while not (or while shutting down)',
        tags: TAGS,
        response: {
          200: Type.Object({ status: Type.Literal('ready') }, { description: 'Ready' }),
          ...controlErrors(503),
        },
      },
    },
    async () => {
      if (!app.lifecycle.ready) throw controlPlaneErrors.notReady()
      return { status: 'ready' as const }
    },
  )
}

export default health
