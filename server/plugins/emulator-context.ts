import type { RequestListener } from 'node:http'

import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

import type { Repositories } from '../../db/repositories/index.ts'
import type { Issuers } from '../auth/issuers.ts'
import type { KeyRing } from '../auth/key-ring.ts'
import type { TokenIssuer } from '../auth/token-issuer.ts'
import type { TokenVerifier } from '../auth/token-verifier.ts'
import type { ControllableClock } from '../clock.ts'
import type { Coverage } from '../coverage/coverage.ts'
import type { Faults } from '../faults/faults.ts'
import type { Journal } from '../journal/journal.ts'
import type { LiveEvents } from '../live-events.ts'
import type { StateService } from '../state/state-service.ts'
import type { RandomSource } from '../random.ts'
import type { SlidingWindowLimiter, ThrottleSettings } from '../throttle/sliding-window.ts'

/** What route handlers and hooks use: the database, the keys, the token machinery, the clock. */
export interface EmulatorContext {
  repos: Repositories
  keys: KeyRing
  issuer: TokenIssuer
  verifier: TokenVerifier
  issuers: Issuers
  /** The emulator's clock: the base clock moved by the control plane. */
  clock: ControllableClock
  random: RandomSource
  /** Seconds between device-code polls. */
  deviceCodeInterval: number
  /** The app's request handler, for listeners other than the one Fastify owns (HTTPS). */
  requestHandler: RequestListener
  /** Verifies tokens on the connector surface, which also accepts the apihub audience. */
  connectorVerifier: TokenVerifier
  /** Calls per connection per window. */
  throttle: SlidingWindowLimiter
  /** The throttle settings at start-up, which a reset restores. */
  startupThrottle: ThrottleSettings
  settings: {
    /** A call with an unknown connection id creates a firstParty connection owned by the caller. */
    autoConnections: boolean
    /** Connections a tenant may have before an unknown connection id no longer creates one. */
    maxAutoConnections: number
    /** Adds RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset to throttled surfaces' responses. */
    rateLimitHeaders: boolean
    /** The longest lifetime (seconds) of a bearer token the API accepts, and of one the control plane mints. */
    maxTokenLifetime: number
    /** The direct Flow API counts calls too; otherwise only the connector gateway throttles. */
    throttleFlowApi: boolean
  }
  /** `memory` or `file`, for health checks and logs. */
  database: 'memory' | 'file'
  state: StateService
  journal: Journal
  faults: Faults
  /** Which operation answered which status, against the statuses the document gives it. */
  coverage: Coverage
  /** Live events for the dashboard's event stream. */
  events: LiveEvents
  /** Where the emulator listens, once it does (the dashboard's "connect your client" panel). */
  endpoints: { httpUrl?: string; httpsUrl?: string; caCertificatePath?: string; proxyUrl?: string }
  /** `--control-key`: when set, every control-plane call must present it. */
  controlKey: string | undefined
  startedAt: number
  version: string
  /** Ready once the app is (migrations and seeding done); not ready again while closing. */
  lifecycle: { ready: boolean }
}

declare module 'fastify' {
  interface FastifyInstance {
    emulator: EmulatorContext
  }
}

async function emulatorContext(app: FastifyInstance, context: EmulatorContext) {
  app.decorate('emulator', context)
  app.addHook('onReady', async () => {
    context.lifecycle.ready = true
  })
  app.addHook('preClose', async () => {
    context.lifecycle.ready = false
  })
  // Closing the app closes the database, so a test or a SIGTERM leaves no open handle or WAL behind.
  app.addHook('onClose', () => {
    context.repos.db.close()
  })
}

export default fp(emulatorContext, { name: 'emulator-context', fastify: '5.x' })
