import { sep } from 'node:path'

import { buildApp, type AppOptions } from './app.ts'
import { print } from './command-options.ts'
import { ConfigError, helpText, loadConfig, type EmulatorConfig } from './config.ts'
import { isLoopbackAddress } from './control/loopback.ts'
import { coverageFile } from './coverage/coverage.ts'
import { prepareDataDir } from './data-dir.ts'
import { writeAtomically } from './files.ts'
import { FixtureError } from './fixtures.ts'
import { FLOW_ADMIN_PREFIX } from './flow-api/index.ts'
import { listen, needsCa, type Listening } from './listen.ts'
import { endLogDestination, stdoutDestination } from './log-destination.ts'
import { INTERCEPTED_HOSTS } from './hosts/intercepted-hosts.ts'
import { StartupError } from './startup-error.ts'
import { runTokenCommand } from './token-command.ts'
import { version } from './version.ts'
import { runWaitCommand } from './wait-command.ts'

/**
 * The command line: `power-automate-admin-emulator [flags]` serves; `... token ...` asks a running
 * emulator for a token. Configuration errors exit 2 with the reason; nothing starts half-configured.
 */
async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'token') return runTokenCommand(argv.slice(1), process.env)
  if (argv[0] === 'wait') return runWaitCommand(argv.slice(1), process.env)

  const config = loadConfig(argv, process.env)
  if (config.help) return print(helpText())
  if (config.version) return print(version)
  showStacks = config.logLevel === 'debug' || config.logLevel === 'trace'
  if (usesDataDir(config)) prepareDataDir(config.dataDir)
  // Signals are handled from the first moment, so a SIGTERM during start-up still exits cleanly.
  let shutdown: ((signal: string) => void) | undefined
  let pendingSignal: string | undefined
  process.once('SIGINT', () => (shutdown ? shutdown('SIGINT') : (pendingSignal = 'SIGINT')))
  process.once('SIGTERM', () => (shutdown ? shutdown('SIGTERM') : (pendingSignal = 'SIGTERM')))

  const destination = stdoutDestination()
  const app = await buildApp({ ...appOptionsFrom(config), logStream: destination })
  if (!isLoopbackAddress(config.host) && config.host !== 'localhost' && config.controlKey === undefined) {
    app.log.warn(
      { host: config.host },
      'listening beyond loopback without --control-key: /_emulator answers loopback clients only; set --control-key to reach it from elsewhere',
    )
  }
  const listening = await listen(app, config)
  for (const line of startupLines(listening, config.db, config.controlKey)) console.log(line)

  shutdown = (signal: string) => {
    shutdown = () => undefined
    app.log.info({ signal }, 'shutting down')
    if (config.exportOnExit) {
      // A failed export (the folder removed since start-up, a full disk) is logged; the shutdown goes on.
      try {
        writeAtomically(config.exportOnExit, `${JSON.stringify(app.stateService.export(), null, 2)}\n`)
        app.log.info({ file: config.exportOnExit }, 'state exported')
      } catch (error) {
        app.log.error({ err: error, file: config.exportOnExit }, 'could not export the state on exit')
      }
    }
    if (config.coverageReport) {
      writeAtomically(config.coverageReport, coverageFile(config.coverageReport, app.coverage.report()))
      app.log.info({ file: config.coverageReport }, 'coverage report written')
    }
    // Requests in flight finish; past the timeout every connection is cut, so a stuck client
    // cannot keep the emulator (and its test run) from ending.
    const force = setTimeout(() => {
      app.log.warn(
        { timeoutSeconds: config.shutdownTimeout },
        'requests still in flight: closing their connections',
      )
      listening.forceClose()
      // Nothing is left to wait for; should closing still not finish, the process ends anyway.
      setTimeout(() => {
        app.log.error('the listeners did not close after their connections were cut: exiting')
        app.repos.db.close()
        process.exit(1)
      }, STOP_GRACE_MS).unref()
    }, config.shutdownTimeout * 1000)
    force.unref()
    // The log is ended before the exit, so its last lines are written, or dropped should their
    // reader have gone: see endLogDestination.
    const exit = (code: number) =>
      void endLogDestination(destination, LOG_END_MS).then(() => process.exit(code))
    listening.close().then(
      () => {
        clearTimeout(force)
        app.log.info('stopped')
        exit(0)
      },
      (error: unknown) => {
        app.log.error({ err: error }, 'error while shutting down')
        exit(1)
      },
    )
  }
  if (pendingSignal) shutdown(pendingSignal)
  return -1
}

/** Set once the flags are read: a start-up failure then prints its stack too. */
let showStacks = false

/** The data folder holds the database (unless it lives elsewhere) and the generated CA. */
function usesDataDir(config: EmulatorConfig): boolean {
  const generatesCa = config.caCert === undefined && needsCa(config)
  return generatesCa || config.db.startsWith(`${config.dataDir}${sep}`)
}

/** How long a shutdown waits, once every connection is cut, before it exits regardless. */
const STOP_GRACE_MS = 1000
/** How long an exit waits for the log's last lines to be written. */
const LOG_END_MS = 1000

/** The app's options from validated settings. */
export function appOptionsFrom(config: EmulatorConfig): AppOptions {
  return {
    db: config.db,
    ...(config.fixtures ? { fixtures: config.fixtures } : {}),
    seed: config.seed,
    logLevel: config.logLevel,
    logFormat: config.logFormat ?? (process.stdout.isTTY ? 'pretty' : 'json'),
    ...(config.issuerHost ? { issuerHost: config.issuerHost } : {}),
    deviceCodeInterval: config.deviceCodeInterval,
    throttle: config.throttle,
    throttleFlowApi: config.throttleFlowApi,
    rateLimitHeaders: config.rateLimitHeaders,
    autoConnections: config.autoConnections,
    ...(config.randomSeed !== undefined ? { randomSeed: config.randomSeed } : {}),
    ...(config.controlKey !== undefined ? { controlKey: config.controlKey } : {}),
    journal: config.journal,
    listenHost: config.host,
    allowedHosts: config.allowedHosts,
    timeouts: config.timeouts,
    maxTokenLifetime: config.maxTokenLifetime,
    maxAutoConnections: config.maxAutoConnections,
  }
}

/**
 * One line per URL the emulator serves, with the real ports. With a control key, the dashboard's
 * line carries it (`?key=`): the first visit from another machine needs it, and this terminal is
 * the one that set it.
 */
export function startupLines(listening: Listening, db: string, controlKey?: string): string[] {
  const { httpUrl, httpsUrl, caCertificatePath } = listening
  return [
    `Flow admin API:   ${httpUrl}${FLOW_ADMIN_PREFIX}`,
    ...(httpsUrl ? [`Flow admin API:   ${httpsUrl}${FLOW_ADMIN_PREFIX}`] : []),
    `Entra ID:         ${httpsUrl ?? httpUrl}/{tenant}  (authority; discovery at /{tenant}/v2.0/.well-known/openid-configuration)`,
    `Connector:        ${httpUrl}/apim/microsoftflowforadmins/{connectionId}${FLOW_ADMIN_PREFIX}`,
    `Token minting:    ${httpUrl}/_emulator/tokens`,
    `Dashboard:        ${httpUrl}/_emulator/ui${controlKey === undefined ? '' : `?key=${encodeURIComponent(controlKey)}`}`,
    `Control plane:    ${httpUrl}/_emulator/health`,
    `OpenAPI:          ${httpUrl}/openapi.json`,
    ...(listening.proxyUrl
      ? [
          `HTTPS proxy:      ${listening.proxyUrl}  (HTTPS_PROXY; intercepts ${INTERCEPTED_HOSTS.map((h) => h.name).join(', ')})`,
        ]
      : []),
    ...(caCertificatePath
      ? [`CA certificate (NODE_EXTRA_CA_CERTS): ${caCertificatePath}  (also at ${httpUrl}/_emulator/ca.pem)`]
      : []),
    `Database:         ${db}`,
  ]
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof FixtureError || error instanceof StartupError) {
      console.error(`power-automate-admin-emulator: ${error.message}`)
      if (showStacks) console.error(error.cause ?? error)
      process.exit(2)
    }
    console.error(error)
    process.exit(1)
  },
)
