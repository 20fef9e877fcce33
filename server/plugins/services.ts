import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

import type { Repositories } from '../../db/repositories/index.ts'
import type { Issuers } from '../auth/issuers.ts'
import type { KeyRing } from '../auth/key-ring.ts'
import type { TokenIssuer } from '../auth/token-issuer.ts'
import type { TokenVerifier } from '../auth/token-verifier.ts'
import type { ControllableClock } from '../clock.ts'
import type { Coverage } from '../coverage/coverage.ts'
import type { EndpointsService } from '../endpoints.ts'
import type { Faults } from '../faults/faults.ts'
import type { Journal } from '../journal/journal.ts'
import type { LiveEvents } from '../live-events.ts'
import type { RandomSource } from '../random.ts'
import type { StateService } from '../state/state-service.ts'
import type { SlidingWindowLimiter } from '../throttle/sliding-window.ts'
import type { TrafficCounter } from '../traffic/traffic.ts'

/** The behaviour switches routes read, fixed when the app is built. */
export interface EmulatorSettings {
  /** A call with an unknown connection id creates a firstParty connection owned by the caller. */
  readonly autoConnections: boolean
  /** Connections a tenant may have before an unknown connection id no longer creates one. */
  readonly maxAutoConnections: number
  /** Adds RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset to throttled surfaces' responses. */
  readonly rateLimitHeaders: boolean
  /** The longest lifetime (seconds) of a bearer token the API accepts, and of one the control plane mints. */
  readonly maxTokenLifetime: number
  /** The direct Flow API counts calls too; otherwise only the connector gateway throttles. */
  readonly throttleFlowApi: boolean
  /** Seconds between device-code polls. */
  readonly deviceCodeInterval: number
  /** `--control-key`: when set, every control-plane call must present it. */
  readonly controlKey: string | undefined
}

/** Facts about this running emulator, for health checks and the dashboard. */
export interface About {
  readonly version: string
  readonly startedAt: number
  /** `memory` or `file`. */
  readonly database: 'memory' | 'file'
}

/** Ready once the app is (migrations and seeding done); not ready again while closing. */
export interface Lifecycle {
  ready: boolean
}

/**
 * The collaborators routes and hooks use, each its own decorator of the app. Made once in
 * `buildApp`; none is replaced afterwards.
 */
export interface Services {
  repos: Repositories
  keys: KeyRing
  tokenIssuer: TokenIssuer
  tokenVerifier: TokenVerifier
  /** Verifies tokens on the connector surface, which also accepts the apihub audience. */
  connectorVerifier: TokenVerifier
  issuers: Issuers
  /** The emulator's clock: the base clock moved by the control plane. */
  clock: ControllableClock
  random: RandomSource
  /** Calls per connection per window. */
  throttle: SlidingWindowLimiter
  settings: EmulatorSettings
  about: About
  /** The emulator's data as a whole: seeding, export, import, merge, reset and per-test tenants. */
  stateService: StateService
  journal: Journal
  faults: Faults
  /** Which operation answered which status, against the statuses the document gives it. */
  coverage: Coverage
  /** Requests per minute and error counts, for the dashboard's overview. */
  traffic: TrafficCounter
  /** Live events for the dashboard's event stream. */
  events: LiveEvents
  /** Where the emulator listens, once `listen` has published it. */
  endpoints: EndpointsService
  lifecycle: Lifecycle
}

declare module 'fastify' {
  interface FastifyInstance {
    repos: Repositories
    keys: KeyRing
    tokenIssuer: TokenIssuer
    tokenVerifier: TokenVerifier
    connectorVerifier: TokenVerifier
    issuers: Issuers
    clock: ControllableClock
    random: RandomSource
    throttle: SlidingWindowLimiter
    settings: EmulatorSettings
    about: About
    stateService: StateService
    journal: Journal
    faults: Faults
    coverage: Coverage
    traffic: TrafficCounter
    events: LiveEvents
    endpoints: EndpointsService
    lifecycle: Lifecycle
  }
}

async function services(app: FastifyInstance, services: Services) {
  for (const [name, service] of Object.entries(services)) app.decorate(name, service)
  app.addHook('onReady', async () => {
    services.lifecycle.ready = true
  })
  app.addHook('preClose', async () => {
    services.lifecycle.ready = false
  })
  // Closing the app closes the database, so a test or a SIGTERM leaves no open handle or WAL behind.
  app.addHook('onClose', () => {
    services.repos.db.close()
  })
}

export default fp(services, { name: 'services', fastify: '5.x' })
