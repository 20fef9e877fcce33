import { createServer, type RequestListener } from 'node:http'

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { LogController, type FastifyInstance } from 'fastify'
import type { DestinationStream } from 'pino'

import { migrate } from '../db/migrate.ts'
import { openDatabase } from '../db/open.ts'
import { createRepositories, type Repositories } from '../db/repositories/index.ts'
import { SeedError, seedFixtures } from '../db/seed.ts'
import type { FixtureDocument } from '../schemas/fixture.ts'
import { CONNECTOR_AUDIENCES } from './auth/audiences.ts'
import { createIssuers } from './auth/issuers.ts'
import { createKeyRing } from './auth/key-ring.ts'
import { generateSigningKeyPems } from './auth/signing-keys.ts'
import { readPfx, sha1Thumbprint } from './tls/certificates.ts'
import { createTokenIssuer } from './auth/token-issuer.ts'
import { createTokenVerifier } from './auth/token-verifier.ts'
import { systemClock, toFlowTimestamp, type Clock } from './clock.ts'
import type { LogLevel } from './config.ts'
import { buildConnection } from './connector/connection-factory.ts'
import connectorGateway, { CONNECTOR_PREFIX } from './connector/index.ts'
import connections from './control/connections.ts'
import tokens from './control/tokens.ts'
import { errors } from './errors.ts'
import entraId from './entra/index.ts'
import { DEMO_FIXTURES_PATH, FixtureError, loadFixtureFile, validateFixtureDocument } from './fixtures.ts'
import flowAdminApi, { FLOW_ADMIN_PREFIX } from './flow-api/index.ts'
import auth from './plugins/auth.ts'
import bodyParsers from './plugins/body-parsers.ts'
import emulatorContext from './plugins/emulator-context.ts'
import errorHandler, { sendServiceError } from './plugins/error-handler.ts'
import requestIds, { correlationIdOf, setRequestIdHeaders } from './plugins/request-ids.ts'
import openapi from './plugins/swagger.ts'
import throttleHeaders from './plugins/throttle.ts'
import validation from './plugins/validation.ts'
import { cryptoRandom, type RandomSource } from './random.ts'
import { createSlidingWindowLimiter, type ThrottleSettings } from './throttle/sliding-window.ts'

export interface AppOptions {
  /** SQLite file path, or `:memory:`. */
  db: string
  /** The fixture document, or the path of one; the demo tenant when absent. */
  fixtures?: FixtureDocument | string
  /** Seed the fixtures into a database that has never been seeded (default true). */
  seed?: boolean
  clock?: Clock
  random?: RandomSource
  logLevel?: LogLevel
  /** Where log lines go (default stdout). */
  logStream?: DestinationStream
  /** `--issuer-host`: issue tokens as this origin instead of Microsoft's issuers. */
  issuerHost?: string
  /** Seconds between device-code polls (default 5, as Entra). */
  deviceCodeInterval?: number
  /** Throttling per connection (default: on, 100 calls per 60 s, rejected calls counted). */
  throttle?: Partial<ThrottleSettings>
  /** Add RateLimit-* headers (default off: the real gateway does not send them). */
  rateLimitHeaders?: boolean
  /** Create a firstParty connection for an unknown connection id (default on). */
  autoConnections?: boolean
}

/** The connector page's limit: 100 API calls per connection per 60 seconds (flow-admin-api.md §5.1). */
export const DEFAULT_THROTTLE: ThrottleSettings = {
  enabled: true,
  limit: 100,
  windowSeconds: 60,
  countRejected: true,
}

/** Bodies above 1 MiB are refused with 413 before they are read in full. */
export const BODY_LIMIT_BYTES = 1024 * 1024

/**
 * Builds the whole emulator without listening: `main` listens, tests inject. Every Fastify option
 * lives here so tests and production run the same app.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const clock = options.clock ?? systemClock
  const random = options.random ?? cryptoRandom
  const db = openDatabase(options.db)
  let repos: Repositories
  try {
    migrate(db)
    repos = createRepositories(db)
    if ((options.seed ?? true) && repos.meta.get('seeded_at') === undefined)
      seed(repos, options.fixtures, clock)
  } catch (error) {
    db.close()
    throw error
  }
  const keys = createKeyRing(repos.tenants)
  const issuers = createIssuers(options.issuerHost)
  let requestHandler: RequestListener | undefined

  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'info',
      ...(options.logStream ? { stream: options.logStream } : {}),
      redact: [
        'req.headers.authorization',
        '*.password',
        '*.client_secret',
        '*.client_assertion',
        '*.access_token',
      ],
    },
    // The HTTP server Fastify listens on; the HTTPS listener (server/listen.ts) serves the same handler.
    serverFactory: (handler) => {
      requestHandler = handler
      return createServer(handler)
    },
    genReqId: () => random.uuid(),
    childLoggerFactory: (logger, bindings, childOptions, rawReq) =>
      logger.child({ ...bindings, correlationId: correlationIdOf(rawReq, random) }, childOptions),
    // One line per request is written by the request-ids plugin, with both ids and the caller.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: 1024 },
    // A URL Fastify cannot decode never reaches a hook: answer it here, in the service's envelope.
    frameworkErrors: (error, request, reply) => {
      setRequestIdHeaders(request, reply, random)
      sendServiceError(reply, errors.invalidRequestContent(error.message))
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  await app.register(emulatorContext, {
    repos,
    keys,
    issuer: createTokenIssuer({ keys, clock, random, issuers }),
    verifier: createTokenVerifier({ keys, clock, issuers }),
    connectorVerifier: createTokenVerifier({ keys, clock, issuers, audiences: CONNECTOR_AUDIENCES }),
    throttle: createSlidingWindowLimiter({ ...DEFAULT_THROTTLE, ...options.throttle }),
    settings: {
      autoConnections: options.autoConnections ?? true,
      rateLimitHeaders: options.rateLimitHeaders ?? false,
    },
    issuers,
    clock,
    random,
    deviceCodeInterval: options.deviceCodeInterval ?? 5,
    requestHandler: (req, res) => requestHandler?.(req, res),
    database: options.db === ':memory:' ? 'memory' : 'file',
  })
  await app.register(auth)
  await app.register(requestIds, { random })
  await app.register(errorHandler)
  await app.register(bodyParsers)
  await app.register(validation)
  await app.register(openapi)
  await app.register(throttleHeaders)
  await app.register(flowAdminApi, { prefix: FLOW_ADMIN_PREFIX })
  await app.register(connectorGateway, { prefix: CONNECTOR_PREFIX })
  await app.register(connections)
  await app.register(tokens)
  await app.register(entraId)
  return app
}

function seed(repos: Repositories, fixtures: FixtureDocument | string | undefined, clock: Clock): void {
  const path = typeof fixtures === 'object' ? undefined : (fixtures ?? DEMO_FIXTURES_PATH)
  const doc =
    path === undefined ? validateFixtureDocument(fixtures, 'Fixture document') : loadFixtureFile(path)
  try {
    seedDocument(repos, doc, clock)
  } catch (error) {
    if (error instanceof SeedError) {
      throw new FixtureError(`${path ? `Fixture file '${path}'` : 'Fixture document'}: ${error.message}`)
    }
    throw error
  }
}

function seedDocument(repos: Repositories, doc: FixtureDocument, clock: Clock): void {
  seedFixtures(repos, doc, {
    now: toFlowTimestamp(clock.now()),
    buildConnection,
    generateSigningKey: (tenant) => generateSigningKeyPems(tenant.displayName, clock.now()),
    kidOf: sha1Thumbprint,
    certificateOfPfx: (pfx, password) => readPfx(Buffer.from(pfx, 'base64'), password).certificatePem,
  })
  repos.meta.set('seeded_at', clock.now().toISOString())
}
