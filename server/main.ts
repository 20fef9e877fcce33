import { buildApp } from './app.ts'
import { ConfigError, helpText, loadConfig } from './config.ts'
import { FixtureError } from './fixtures.ts'
import { FLOW_ADMIN_PREFIX } from './flow-api/index.ts'
import { runTokenCommand } from './token-command.ts'

/**
 * The command line: `power-automate-admin-emulator [flags]` serves; `... token ...` asks a running
 * emulator for a token. Configuration errors exit 2 with the reason; nothing starts half-configured.
 */
async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'token') return runTokenCommand(argv.slice(1))

  const config = loadConfig(argv, process.env)
  if (config.help) {
    console.log(helpText())
    return 0
  }
  const app = await buildApp({
    db: config.db,
    ...(config.fixtures ? { fixtures: config.fixtures } : {}),
    seed: config.seed,
    logLevel: config.logLevel,
  })
  await app.listen({ host: config.host, port: config.port })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  const base = `http://${host}:${port}`
  console.log(`Flow admin API:   ${base}${FLOW_ADMIN_PREFIX}`)
  console.log(`Token minting:    ${base}/_emulator/tokens`)
  console.log(`OpenAPI:          ${base}/openapi.json`)
  console.log(`Database:         ${config.db}`)

  let closing = false
  const close = (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'error while shutting down')
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', () => close('SIGINT'))
  process.once('SIGTERM', () => close('SIGTERM'))
  return -1
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof FixtureError) {
      console.error(`power-automate-admin-emulator: ${error.message}`)
      process.exit(2)
    }
    console.error(error)
    process.exit(1)
  },
)
