import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import { controlErrors, TAGS } from './schemas.ts'

const ClockState = Type.Object(
  { now: Type.String(), mode: Type.Enum(['real', 'offset', 'frozen']), offsetSeconds: Type.Number() },
  { description: "The emulator's clock" },
)

const ClockChange = Type.Union([
  Type.Object(
    { advanceSeconds: Type.Number({ minimum: -315_360_000, maximum: 315_360_000 }) },
    { additionalProperties: false },
  ),
  Type.Object({ now: Type.String({ format: 'date-time' }) }, { additionalProperties: false }),
  Type.Object({ freeze: Type.Literal(true) }, { additionalProperties: false }),
  Type.Object({ mode: Type.Literal('real') }, { additionalProperties: false }),
])

/**
 * /_emulator/clock: the clock drives token lifetimes and expiry, throttle windows and every
 * timestamp the API writes. `{"mode":"real"}` follows real time again, from the real now.
 */
const clock: FastifyPluginAsyncTypebox = async (app) => {
  const { clock: emulatorClock } = app
  app.get(
    '/_emulator/clock',
    {
      schema: {
        operationId: 'Emulator-GetClock',
        summary: "The emulator's clock",
        tags: TAGS,
        response: { 200: ClockState, ...controlErrors() },
      },
    },
    async () => emulatorClock.state(),
  )
  app.post(
    '/_emulator/clock',
    {
      schema: {
        operationId: 'Emulator-SetClock',
        summary: 'Advance, set, freeze or release the clock',
        description: 'One of {"advanceSeconds":n}, {"now":"<ISO>"}, {"freeze":true}, {"mode":"real"}.',
        tags: TAGS,
        body: ClockChange,
        response: { 200: ClockState, ...controlErrors() },
      },
    },
    async (request) => {
      const change = request.body
      if ('advanceSeconds' in change) emulatorClock.advance(change.advanceSeconds)
      else if ('now' in change) emulatorClock.set(new Date(change.now))
      else if ('freeze' in change) emulatorClock.freeze()
      else emulatorClock.reset()
      return emulatorClock.state()
    },
  )
}

export default clock
