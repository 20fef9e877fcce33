import { createServer } from 'node:http'

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { LogController, type FastifyInstance } from 'fastify'
import type { DestinationStream } from 'pino'

import { isReadOnly } from '../db/open.ts'
import { createRepositories, type Repositories } from '../db/repositories/index.ts'
import type { FixtureDocument } from '../schemas/fixture.ts'
import azureResourceManager from './arm/index.ts'
import { CONNECTOR_AUDIENCES } from './auth/audiences.ts'
import { createIssuers } from './auth/issuers.ts'
import { createKeyRing } from './auth/key-ring.ts'
import { createTokenVerifier } from './auth/token-verifier.ts'
import { createControllableClock, systemClock, type Clock } from './clock.ts'
import connectorGateway, { CONNECTOR_PREFIX } from './connector/index.ts'
import { withConnectorLabels } from './connector/labels.ts'
import controlPlane from './control/index.ts'
import dashboard from './dashboard/index.ts'
import entraId from './entra/index.ts'
import { errors } from './errors/index.ts'
import { DEMO_FIXTURES_PATH, loadFixtureFile, validateFixtureDocument } from './fixtures.ts'
import flowAdminApi, { FLOW_ADMIN_PREFIX, FLOW_PROVIDER_PREFIX, flowTenantApi } from './flow-api/index.ts'
import { createEndpoints } from './endpoints.ts'
import { createLiveEvents } from './live-events.ts'
import { answerClientError } from './http/client-errors.ts'
import { openStore } from './open-store.ts'
import { stdoutDestination } from './log-destination.ts'
import { prettyLogStream } from './log-format.ts'
import { graphErrors } from './errors/index.ts'
import { sendGraphError } from './graph/respond.ts'
import graph, { GRAPH_PREFIX } from './graph/index.ts'
import allowedHosts from './plugins/allowed-hosts.ts'
import auth from './plugins/auth.ts'
import bodyParsers from './plugins/body-parsers.ts'
import coverage from './plugins/coverage.ts'
import services from './plugins/services.ts'
import errorHandler from './plugins/error-handler.ts'
import { sendServiceError } from './http/reply.ts'
import faults from './plugins/faults.ts'
import journal from './plugins/journal.ts'
import { SECRET_FIELDS } from './journal/journal.ts'
import requestIds, { correlationIdOf, setRequestIdHeaders } from './plugins/request-ids.ts'
import openapi from './plugins/swagger.ts'
import throttleHeaders from './plugins/throttle.ts'
import validation from './plugins/validation.ts'
import { cryptoRandom, seededRandom, type RandomSource } from './random.ts'
import type { ConnectionTimeouts } from './config.ts'
import { DEFAULTS, type AllowedHost, type LogFormat, type LogLevel } from './settings.ts'
import { createRuntime, createStateService } from './state/state-service.ts'
import type { ThrottleSettings } from './throttle/sliding-window.ts'
import { listenerOptions } from './timeouts.ts'
import { version } from './version.ts'

/** What `buildApp` takes; what is left out takes the settings' defaults (settings.ts). */
export interface AppOptions {
  /** SQLite file path, or `:memory:`. */
  db: string
  /** The fixture document, or the path of one; the demo tenant when absent. */
  fixtures?: FixtureDocument | string
  /** Seed the fixtures into a database that has never been seeded. */
  seed?: boolean
  /** The base clock (default: the system's); the control plane moves the emulator's clock over it. */
  clock?: Clock
  /** `--seed`: draw every made-up value from this seed, so runs repeat. */
  randomSeed?: number
  /** A random source of your own (wins over `randomSeed`). */
  random?: RandomSource
  logLevel?: LogLevel
  /** `--log-format`: JSON lines (the default), or one line of text each for a terminal. */
  logFormat?: LogFormat
  /** Where log lines go (default stdout). */
  logStream?: DestinationStream
  /** `--issuer-host`: issue tokens as this origin instead of Microsoft's issuers. */
  issuerHost?: string
  /** Seconds between device-code polls. */
  deviceCodeInterval?: number
  /** Throttling per connection. */
  throttle?: Partial<ThrottleSettings>
  /**
   * Throttle the direct Flow API too, keyed by the caller's identity (the limit is the connector
   * gateway's, flow-admin-api.md §5.1).
   */
  throttleFlowApi?: boolean
  /** Add RateLimit-* headers (the real gateway does not send them). */
  rateLimitHeaders?: boolean
  /** Create a firstParty connection for an unknown connection id. */
  autoConnections?: boolean
  /** `--max-auto-connections`: an unknown connection id creates a connection while its tenant has fewer. */
  maxAutoConnections?: number
  /** `--control-key`: every control-plane call needs `x-emulator-key` with this value. */
  controlKey?: string
  /** `--host`: a Host naming it is answered, as loopback names are (default 127.0.0.1). */
  listenHost?: string
  /** `--allowed-hosts`: more Host values to answer; any other gets 403. */
  allowedHosts?: readonly AllowedHost[]
  /** `--max-token-lifetime`: bearer tokens living longer (exp - iat, seconds) are refused. */
  maxTokenLifetime?: number
  /** Slow and idle connections are closed after these (default: DEFAULT_TIMEOUTS). */
  timeouts?: ConnectionTimeouts
  /** The request journal: entries kept (0 turns it off) and bytes kept of each body. */
  journal?: { size?: number; bodyLimit?: number }
}

/** The settings' defaults (settings.ts); the limit is the connector page's (flow-admin-api.md §5.1). */
export const DEFAULT_THROTTLE: ThrottleSettings = {
  enabled: DEFAULTS.throttle,
  limit: DEFAULTS['throttle-limit'],
  windowSeconds: DEFAULTS['throttle-window-seconds'],
  countRejected: DEFAULTS['throttle-count-rejected'],
}

export const DEFAULT_JOURNAL = { size: DEFAULTS['journal-size'], bodyLimit: DEFAULTS['journal-body-limit'] }

/**
 * Where a secret would sit in a log line: a request's Authorization and control-key headers, and
 * the journal's secret fields in an Entra form, a body, an error or a token response. Not `code`:
 * an error's code is kept. Every path names its top-level key: pino then redacts only a line that
 * has that key, while a path that starts with `*` makes it copy and walk every object of every line.
 */
const LOG_REDACT_PATHS = [
  ...['headers', 'req.headers', 'request.headers', 'err.headers'].flatMap((at) => [
    `${at}.authorization`,
    `${at}["x-emulator-key"]`,
  ]),
  ...['', 'body.', 'form.', 'query.', 'err.'].flatMap((at) => SECRET_FIELDS.map((field) => `${at}${field}`)),
]

/** Bodies above 1 MiB are refused with 413 before they are read in full. */
export const BODY_LIMIT_BYTES = 1024 * 1024

/**
 * Builds the whole emulator without listening: `main` listens, tests inject. Every Fastify option
 * lives here so tests and production run the same app.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const clock = createControllableClock(options.clock ?? systemClock)
  const random =
    options.random ?? (options.randomSeed === undefined ? cryptoRandom : seededRandom(options.randomSeed))
  const db = openStore(options.db)
  let repos: Repositories
  let fixtures: FixtureDocument
  try {
    repos = createRepositories(db)
    fixtures = loadFixtures(options.fixtures)
  } catch (error) {
    db.close()
    throw error
  }
  const keys = createKeyRing(repos.tenants)
  const issuers = createIssuers(options.issuerHost)
  const runtime = createRuntime({
    keys,
    clock,
    random,
    issuers,
    throttle: { ...DEFAULT_THROTTLE, ...options.throttle },
    journal: { ...DEFAULT_JOURNAL, ...options.journal },
  })
  const state = createStateService({ repos, keys, clock, random, fixtures, runtime })
  let otherFixtures = false
  try {
    if ((options.seed ?? !DEFAULTS['no-seed']) && repos.meta.get('seeded_at') === undefined)
      state.seedInitial()
    else otherFixtures = state.seededFromOtherFixtures()
  } catch (error) {
    db.close()
    throw error
  }
  const maxTokenLifetime = options.maxTokenLifetime ?? DEFAULTS['max-token-lifetime']

  const logLevel = options.logLevel ?? DEFAULTS['log-level']
  const destination = options.logStream ?? stdoutDestination()
  const app = Fastify({
    logger: {
      level: logLevel,
      stream:
        options.logFormat === 'pretty'
          ? prettyLogStream(destination, { verbose: logLevel === 'debug' || logLevel === 'trace' })
          : destination,
      // No line is meant to carry these; should one ever do, the value is not written.
      redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
    },
    // The HTTP server Fastify listens on; the HTTPS listener (server/listen.ts) serves the same
    // handler, `app.routing`.
    serverFactory: (handler) => createServer(listenerOptions(options.timeouts), handler),
    genReqId: () => random.uuid(),
    // A request's logger carries the correlation id beside the request id.
    childLoggerFactory: (logger, bindings, childOptions, rawReq) =>
      logger.child({ ...bindings, correlationId: correlationIdOf(rawReq, random) }, childOptions),
    // One line per request is written by the request-ids plugin, with both ids and the caller.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: 1024 },
    // What Node's HTTP parser refuses (headers over 16 KiB, malformed requests) never reaches Fastify:
    // answer it in the service's envelope too, then close the connection.
    clientErrorHandler: answerClientError,
    // A URL Fastify cannot decode never reaches a hook: answer it here, in the service's envelope.
    frameworkErrors: (error, request, reply) => {
      setRequestIdHeaders(request, reply, random)
      if (request.url.startsWith(`${GRAPH_PREFIX}/`)) {
        sendGraphError(request, reply, graphErrors.badRequest(error.message), clock.now())
        return
      }
      sendServiceError(reply, errors.invalidRequestContent(error.message))
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  await app.register(services, {
    repos,
    keys,
    tokenIssuer: runtime.issuer,
    tokenVerifier: createTokenVerifier({ keys, clock, issuers, maxLifetimeSeconds: maxTokenLifetime }),
    connectorVerifier: createTokenVerifier({
      keys,
      clock,
      issuers,
      audiences: CONNECTOR_AUDIENCES,
      maxLifetimeSeconds: maxTokenLifetime,
    }),
    issuers,
    clock,
    random,
    throttle: runtime.throttle,
    settings: {
      autoConnections: options.autoConnections ?? DEFAULTS['auto-connections'],
      maxAutoConnections: options.maxAutoConnections ?? DEFAULTS['max-auto-connections'],
      maxTokenLifetime,
      rateLimitHeaders: options.rateLimitHeaders ?? DEFAULTS['rate-limit-headers'],
      throttleFlowApi: options.throttleFlowApi ?? DEFAULTS['throttle-flow-api'],
      deviceCodeInterval: options.deviceCodeInterval ?? DEFAULTS['device-code-interval'],
      controlKey: options.controlKey,
    },
    about: { version, startedAt: Date.now(), database: options.db === ':memory:' ? 'memory' : 'file' },
    stateService: state,
    journal: runtime.journal,
    faults: runtime.faults,
    coverage: runtime.coverage,
    traffic: runtime.traffic,
    events: createLiveEvents(),
    endpoints: createEndpoints(),
    lifecycle: { ready: false },
  })
  if (otherFixtures) {
    app.log.warn(
      { db: options.db, fixtures: fixturesName(options.fixtures) },
      'the database was seeded from other fixtures and keeps them (fixtures seed a database only once): POST /_emulator/reset reseeds it from these, or start with a fresh --data-dir or --db',
    )
  }
  if (isReadOnly(db)) {
    app.log.warn(
      { db: options.db },
      'the database is on read-only storage: reads are served, writes answer 503',
    )
  }
  await app.register(allowedHosts, {
    listenHost: options.listenHost ?? DEFAULTS.host,
    allowed: options.allowedHosts ?? DEFAULTS['allowed-hosts'],
  })
  await app.register(auth)
  await app.register(requestIds, { random })
  await app.register(errorHandler)
  await app.register(bodyParsers)
  await app.register(validation)
  await app.register(openapi, { connectorLabels: withConnectorLabels })
  await app.register(throttleHeaders)
  await app.register(journal)
  await app.register(faults)
  await app.register(coverage)
  await app.register(flowAdminApi, { prefix: FLOW_ADMIN_PREFIX })
  await app.register(flowTenantApi, { prefix: FLOW_PROVIDER_PREFIX })
  await app.register(connectorGateway, { prefix: CONNECTOR_PREFIX })
  await app.register(controlPlane, { extensions: [dashboard] })
  await app.register(entraId)
  await app.register(graph, { prefix: GRAPH_PREFIX })
  await app.register(azureResourceManager)
  return app
}

/** The fixtures as a log line names them. */
function fixturesName(fixtures: FixtureDocument | string | undefined): string {
  if (fixtures === undefined) return 'the demo tenant'
  return typeof fixtures === 'string' ? fixtures : 'a fixture document'
}

function loadFixtures(fixtures: FixtureDocument | string | undefined): FixtureDocument {
  if (typeof fixtures === 'object') return validateFixtureDocument(fixtures, 'Fixture document')
  return loadFixtureFile(fixtures ?? DEMO_FIXTURES_PATH)
}
