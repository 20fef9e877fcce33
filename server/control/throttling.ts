import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import { Throttling } from '../../schemas/control.ts'
import { connectionName } from '../throttle/connection-key.ts'
import { controlErrors, TAGS } from './schemas.ts'

/** /_emulator/throttling: settings and usage, changed at run time without a restart. */
const throttling: FastifyPluginAsyncTypebox = async (app) => {
  const { throttle, clock, settings } = app
  const surfaces: ('connector' | 'flow')[] = settings.throttleFlowApi ? ['connector', 'flow'] : ['connector']
  const describe = () => {
    const now = clock.now().getTime()
    return {
      ...throttle.settings(),
      surfaces,
      connections: throttle.usage(now).map((u) => ({
        connection: connectionName(u.key),
        used: u.used,
        remaining: u.remaining,
        resetSeconds: u.resetSeconds,
        lastThrottledAt: u.lastThrottledAt === undefined ? null : new Date(u.lastThrottledAt).toISOString(),
      })),
    }
  }
  app.get(
    '/_emulator/throttling',
    {
      schema: {
        operationId: 'Emulator-GetThrottling',
        summary: 'Throttle settings and usage',
        tags: TAGS,
        response: { 200: Throttling, ...controlErrors() },
      },
    },
    async () => describe(),
  )
  app.put(
    '/_emulator/throttling',
    {
      schema: {
        operationId: 'Emulator-SetThrottling',
        summary: 'Change throttle settings (any subset)',
        tags: TAGS,
        body: Type.Object(
          {
            enabled: Type.Optional(Type.Boolean()),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
            windowSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
            countRejected: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: Throttling, ...controlErrors() },
      },
    },
    async (request) => {
      throttle.configure(request.body)
      return describe()
    },
  )
}

export default throttling
