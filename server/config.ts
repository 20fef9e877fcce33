import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'

/**
 * The emulator's settings: each one a CLI flag and a `PAAE_*` environment variable, validated once
 * here. Flags win over the environment. An unknown flag, an unknown `PAAE_*` variable or an invalid
 * value is an error: nothing is silently ignored. Nothing else in the emulator reads process.env.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export interface EmulatorConfig {
  host: string
  port: number
  dataDir: string
  /** A file path, or `:memory:`. */
  db: string
  /** A fixture file, or undefined for the demo tenant. */
  fixtures: string | undefined
  seed: boolean
  logLevel: LogLevel
  /** HTTPS port; `off` serves HTTP only. */
  httpsPort: number | 'off'
  /** PEM files for the HTTPS listener; both or neither (then the local CA issues one). */
  tlsCert: string | undefined
  tlsKey: string | undefined
  /** `--proxy-port`: the HTTPS-intercepting proxy (issue 7); undefined leaves it off. */
  proxyPort: number | undefined
  /** A CA of the user's own instead of the generated one; both or neither. */
  caCert: string | undefined
  caKey: string | undefined
  /** An origin such as `https://localhost:7443`: issuers name the emulator instead of Microsoft. */
  issuerHost: string | undefined
  /** Seconds a device-code client waits between polls (Entra says 5). */
  deviceCodeInterval: number
  throttle: { enabled: boolean; limit: number; windowSeconds: number; countRejected: boolean }
  rateLimitHeaders: boolean
  autoConnections: boolean
  /** `--seed`: every value the emulator makes up is drawn from it. */
  randomSeed: number | undefined
  controlKey: string | undefined
  journal: { size: number; bodyLimit: number }
  exportOnExit: string | undefined
  /** Seconds a SIGTERM waits for requests in flight before closing their connections. */
  shutdownTimeout: number
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

interface Setting {
  flag: string
  env: string
  kind: 'string' | 'boolean'
  help: string
}

/** One table drives parsing, validation messages and `--help`. */
export const SETTINGS: readonly Setting[] = [
  { flag: 'host', env: 'PAAE_HOST', kind: 'string', help: 'Interface to listen on (default 127.0.0.1)' },
  { flag: 'port', env: 'PAAE_PORT', kind: 'string', help: 'HTTP port, 0 for any free port (default 7070)' },
  {
    flag: 'data-dir',
    env: 'PAAE_DATA_DIR',
    kind: 'string',
    help: 'Folder for persistent data (default ./.emulator-data)',
  },
  {
    flag: 'db',
    env: 'PAAE_DB',
    kind: 'string',
    help: 'SQLite file, or :memory: (default <data-dir>/emulator.sqlite)',
  },
  {
    flag: 'fixtures',
    env: 'PAAE_FIXTURES',
    kind: 'string',
    help: 'Fixture file to seed from (default: the demo tenant)',
  },
  {
    flag: 'no-seed',
    env: 'PAAE_NO_SEED',
    kind: 'boolean',
    help: 'Start with an empty database (PAAE_NO_SEED=true)',
  },
  {
    flag: 'log-level',
    env: 'PAAE_LOG_LEVEL',
    kind: 'string',
    help: `Log level: ${LOG_LEVELS.join(', ')} (default info)`,
  },
  {
    flag: 'https-port',
    env: 'PAAE_HTTPS_PORT',
    kind: 'string',
    help: 'HTTPS port, 0 for any free port, off to disable (default 7443)',
  },
  {
    flag: 'tls-cert',
    env: 'PAAE_TLS_CERT',
    kind: 'string',
    help: 'PEM certificate for HTTPS (default: issued by the local CA)',
  },
  { flag: 'tls-key', env: 'PAAE_TLS_KEY', kind: 'string', help: 'PEM private key for --tls-cert' },
  {
    flag: 'shutdown-timeout',
    env: 'PAAE_SHUTDOWN_TIMEOUT',
    kind: 'string',
    help: 'Seconds SIGTERM/SIGINT wait for requests in flight before cutting them (default 10)',
  },
  {
    flag: 'proxy-port',
    env: 'PAAE_PROXY_PORT',
    kind: 'string',
    help: 'Start the HTTPS proxy (CONNECT) for tools with hard-coded Microsoft hosts on this port, 0 for any free port (default: off)',
  },
  {
    flag: 'ca-cert',
    env: 'PAAE_CA_CERT',
    kind: 'string',
    help: 'PEM CA certificate that issues the HTTPS and proxy certificates (default: <data-dir>/ca/ca.pem, generated)',
  },
  { flag: 'ca-key', env: 'PAAE_CA_KEY', kind: 'string', help: 'PEM private key of --ca-cert' },
  {
    flag: 'issuer-host',
    env: 'PAAE_ISSUER_HOST',
    kind: 'string',
    help: "Issue tokens as this origin, e.g. https://localhost:7443 (default: Microsoft's issuers)",
  },
  {
    flag: 'device-code-interval',
    env: 'PAAE_DEVICE_CODE_INTERVAL',
    kind: 'string',
    help: 'Seconds between device-code polls, 1 to 60 (default 5)',
  },
  {
    flag: 'throttle',
    env: 'PAAE_THROTTLE',
    kind: 'string',
    help: 'on or off: throttle calls per connection (default on)',
  },
  {
    flag: 'throttle-limit',
    env: 'PAAE_THROTTLE_LIMIT',
    kind: 'string',
    help: 'Calls per connection per window, 1 to 1000000 (default 100)',
  },
  {
    flag: 'throttle-window-seconds',
    env: 'PAAE_THROTTLE_WINDOW_SECONDS',
    kind: 'string',
    help: 'Length of the sliding window, 1 to 86400 (default 60)',
  },
  {
    flag: 'throttle-count-rejected',
    env: 'PAAE_THROTTLE_COUNT_REJECTED',
    kind: 'string',
    help: 'true or false: 429-rejected calls count too, as in Azure API Management (default true)',
  },
  {
    flag: 'rate-limit-headers',
    env: 'PAAE_RATE_LIMIT_HEADERS',
    kind: 'string',
    help: 'true or false: add RateLimit-* headers (default false)',
  },
  {
    flag: 'auto-connections',
    env: 'PAAE_AUTO_CONNECTIONS',
    kind: 'string',
    help: 'true or false: an unknown connection id creates a connection for the caller (default true)',
  },
  {
    flag: 'seed',
    env: 'PAAE_SEED',
    kind: 'string',
    help: 'Draw request ids, tenant ids, token ids, codes and fault draws from this seed (0 to 4294967295)',
  },
  {
    flag: 'control-key',
    env: 'PAAE_CONTROL_KEY',
    kind: 'string',
    help: 'Every /_emulator call must send it in x-emulator-key (needed off loopback; at least 16 characters)',
  },
  {
    flag: 'journal-size',
    env: 'PAAE_JOURNAL_SIZE',
    kind: 'string',
    help: 'Requests kept in the journal, 0 turns it off (default 1000)',
  },
  {
    flag: 'journal-body-limit',
    env: 'PAAE_JOURNAL_BODY_LIMIT',
    kind: 'string',
    help: 'Bytes kept of each journaled body (default 16384)',
  },
  {
    flag: 'export-on-exit',
    env: 'PAAE_EXPORT_ON_EXIT',
    kind: 'string',
    help: 'Write the state to this file on SIGINT/SIGTERM',
  },
]

export function helpText(): string {
  const lines = SETTINGS.map((s) => `  --${s.flag.padEnd(12)} ${s.env.padEnd(16)} ${s.help}`)
  return [
    'Usage: power-automate-admin-emulator [flags]',
    '       power-automate-admin-emulator token --user <upn|objectId> | --client-id <id> [--tenant <id|domain>] [--url <emulator>]',
    '',
    'Flags (each also an environment variable):',
    ...lines,
    '  --help                        Print this text',
  ].join('\n')
}

/** Parses argv and the environment into a validated configuration; throws ConfigError on anything wrong. */
export function loadConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): EmulatorConfig & { help: boolean } {
  const options = Object.fromEntries(SETTINGS.map((s) => [s.flag, { type: s.kind }]))
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean' } },
      strict: true,
    }))
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}. Run with --help for the flags.`)
  }

  const known = new Set(SETTINGS.map((s) => s.env))
  for (const name of Object.keys(env)) {
    if (name.startsWith('PAAE_') && !known.has(name)) {
      throw new ConfigError(`Unknown environment variable ${name}. Known: ${[...known].join(', ')}`)
    }
  }

  const raw = (flag: string): string | boolean | undefined => {
    const setting = SETTINGS.find((s) => s.flag === flag)!
    const fromFlag = values[flag]
    if (fromFlag !== undefined) return fromFlag
    const fromEnv = env[setting.env]
    if (fromEnv === undefined) return undefined
    if (setting.kind === 'boolean') return parseBoolean(fromEnv, setting.env)
    return fromEnv
  }
  const text = (flag: string): string | undefined => {
    const value = raw(flag) as string | undefined
    if (value !== undefined && value.trim() === '') throw new ConfigError(`--${flag} must not be empty`)
    return value
  }

  const host = text('host') ?? '127.0.0.1'
  const port = parsePort(text('port') ?? '7070')
  const dataDir = resolve(text('data-dir') ?? './.emulator-data')
  const dbValue = text('db')
  const db = dbValue === ':memory:' ? ':memory:' : resolve(dbValue ?? `${dataDir}/emulator.sqlite`)
  const fixturesValue = text('fixtures')
  const logLevel = text('log-level') ?? 'info'
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`--log-level must be one of ${LOG_LEVELS.join(', ')}; got '${logLevel}'`)
  }
  const httpsPortValue = text('https-port') ?? '7443'
  const tlsCert = optionalFile(text('tls-cert'), 'tls-cert')
  const tlsKey = optionalFile(text('tls-key'), 'tls-key')
  if ((tlsCert === undefined) !== (tlsKey === undefined))
    throw new ConfigError('--tls-cert and --tls-key go together')
  const caCert = optionalFile(text('ca-cert'), 'ca-cert')
  const caKey = optionalFile(text('ca-key'), 'ca-key')
  if ((caCert === undefined) !== (caKey === undefined))
    throw new ConfigError('--ca-cert and --ca-key go together')
  const proxyPortValue = text('proxy-port')
  const interval = text('device-code-interval') ?? '5'
  if (!/^\d{1,2}$/.test(interval) || Number(interval) < 1 || Number(interval) > 60) {
    throw new ConfigError(
      `--device-code-interval must be a whole number of seconds from 1 to 60; got '${interval}'`,
    )
  }
  const seedValue = text('seed')
  const controlKey = text('control-key')
  if (controlKey !== undefined && controlKey.length < 16)
    throw new ConfigError('--control-key must be at least 16 characters')
  const exportOnExit = text('export-on-exit')
  const throttleSwitch = text('throttle') ?? 'on'
  if (throttleSwitch !== 'on' && throttleSwitch !== 'off')
    throw new ConfigError(`--throttle must be on or off; got '${throttleSwitch}'`)
  return {
    host,
    port,
    throttle: {
      enabled: throttleSwitch === 'on',
      limit: parseWhole(text('throttle-limit') ?? '100', 'throttle-limit', 1, 1_000_000),
      windowSeconds: parseWhole(
        text('throttle-window-seconds') ?? '60',
        'throttle-window-seconds',
        1,
        86_400,
      ),
      countRejected: parseFlagValue(text('throttle-count-rejected') ?? 'true', 'throttle-count-rejected'),
    },
    rateLimitHeaders: parseFlagValue(text('rate-limit-headers') ?? 'false', 'rate-limit-headers'),
    randomSeed: seedValue === undefined ? undefined : parseWhole(seedValue, 'seed', 0, 4_294_967_295),
    controlKey,
    journal: {
      size: parseWhole(text('journal-size') ?? '1000', 'journal-size', 0, 100_000),
      bodyLimit: parseWhole(text('journal-body-limit') ?? '16384', 'journal-body-limit', 0, 1_048_576),
    },
    exportOnExit: exportOnExit === undefined ? undefined : resolve(exportOnExit),
    autoConnections: parseFlagValue(text('auto-connections') ?? 'true', 'auto-connections'),
    httpsPort: httpsPortValue === 'off' ? 'off' : parsePort(httpsPortValue, 'https-port'),
    tlsCert,
    tlsKey,
    shutdownTimeout: parseWhole(text('shutdown-timeout') ?? '10', 'shutdown-timeout', 0, 3600),
    proxyPort: proxyPortValue === undefined ? undefined : parsePort(proxyPortValue, 'proxy-port'),
    caCert,
    caKey,
    issuerHost: parseOrigin(text('issuer-host')),
    deviceCodeInterval: Number(interval),
    dataDir,
    db,
    fixtures: fixturesValue === undefined ? undefined : resolve(fixturesValue),
    seed: raw('no-seed') !== true,
    logLevel: logLevel as LogLevel,
    help: values['help'] === true,
  }
}

function parsePort(value: string, flag = 'port'): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    const extra = flag === 'https-port' ? ', or off' : ''
    throw new ConfigError(`--${flag} must be a whole number from 0 to 65535${extra}; got '${value}'`)
  }
  return Number(value)
}

function parseWhole(value: string, flag: string, min: number, max: number): number {
  if (!/^\d{1,10}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(`--${flag} must be a whole number from ${min} to ${max}; got '${value}'`)
  }
  return Number(value)
}

function parseFlagValue(value: string, flag: string): boolean {
  if (value === 'true') return true
  if (value === 'false') return false
  throw new ConfigError(`--${flag} must be true or false; got '${value}'`)
}

function optionalFile(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined
  const path = resolve(value)
  try {
    readFileSync(path)
  } catch (error) {
    throw new ConfigError(
      `--${flag}: cannot read '${path}' (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    )
  }
  return path
}

function parseOrigin(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError(`--issuer-host must be an origin such as https://localhost:7443; got '${value}'`)
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.pathname !== '/' ||
    url.search ||
    url.hash
  ) {
    throw new ConfigError(`--issuer-host must be an origin such as https://localhost:7443; got '${value}'`)
  }
  return url.origin
}

function parseBoolean(value: string, name: string): boolean {
  if (/^(true|1|yes)$/i.test(value)) return true
  if (/^(false|0|no)$/i.test(value)) return false
  throw new ConfigError(`${name} must be true or false; got '${value}'`)
}
