import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { expect, onTestFinished } from 'vitest'

import { buildApp, type AppOptions } from '../../server/app.ts'
import { FLOW_SERVICE_AUDIENCE } from '../../server/auth/audiences.ts'
import { fixedClock } from '../../server/clock.ts'

/** The instant every test starts at: tokens, expiry and written timestamps are deterministic. */
export const TEST_NOW = '2026-01-15T10:00:00.000Z'

export interface TestApp {
  app: FastifyInstance
  clock: ReturnType<typeof fixedClock>
  /** A token as POST /_emulator/tokens mints it. */
  mint(request: Record<string, unknown>): Promise<string>
  /** `app.inject` with `Authorization: Bearer <token>`. */
  as(token: string, options: InjectOptions): Promise<LightMyRequestResponse>
}

/** A fresh app on a fresh in-memory database seeded with the demo tenant, closed when the test ends. */
export async function buildTestApp(overrides: Partial<AppOptions> = {}): Promise<TestApp> {
  const clock = fixedClock(TEST_NOW)
  const app = await buildApp({ db: ':memory:', clock, logLevel: 'silent', ...overrides })
  onTestFinished(() => app.close())
  return {
    app,
    clock,
    async mint(request) {
      const res = await app.inject({ method: 'POST', url: '/_emulator/tokens', payload: request })
      expect(res.statusCode, res.body).toBe(200)
      return res.json<{ access_token: string }>().access_token
    },
    as: (token, options) =>
      app.inject({ ...options, headers: { ...options.headers, authorization: `Bearer ${token}` } }),
  }
}

export { FLOW_SERVICE_AUDIENCE }
