import { resolve } from 'node:path'

import {
  ConfigError,
  DEFAULTS,
  envName,
  type AllowedHost,
  SETTINGS,
  type LogFormat,
  type LogLevel,
  type Setting,
  type SettingName,
  type SettingValues,
} from './settings.ts'

export { ConfigError, LOG_LEVELS, type AllowedHost, type LogFormat, type LogLevel } from './settings.ts'

/**
 * Reads the settings (settings.ts) from argv and the environment, once. Flags win over the
 * environment. An unknown flag, an unknown `PAAE_*` variable or an invalid value is an error:
 * nothing is silently ignored. Nothing else in the emulator reads process.env.
 */

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
  /** undefined: pretty when stdout is a terminal, JSON otherwise (main.ts decides). */
  logFormat: LogFormat | undefined
  /** HTTPS port; `off` serves HTTP only. */
  httpsPort: number | 'off'
  /** PEM files for the HTTPS listener; both or neither (then the local CA issues one). */
  tlsCert: string | undefined
  tlsKey: string | undefined
  /** `--proxy-port`: the HTTPS-intercepting proxy; undefined leaves it off. */
  proxyPort: number | undefined
  /** A CA of the user's own instead of the generated one; both or neither. */
  caCert: string | undefined
  caKey: string | undefined
  /** An origin such as `https://localhost:7443`: issuers name the emulator instead of Microsoft. */
  issuerHost: string | undefined
  /** Seconds a device-code client waits between polls (Entra says 5). */
  deviceCodeInterval: number
  throttle: { enabled: boolean; limit: number; windowSeconds: number; countRejected: boolean }
  /** `--throttle-flow-api`: the direct Flow API is throttled too, not only the connector surface. */
  throttleFlowApi: boolean
  rateLimitHeaders: boolean
  autoConnections: boolean
  /** `--seed`: every value the emulator makes up is drawn from it. */
  randomSeed: number | undefined
  controlKey: string | undefined
  journal: { size: number; bodyLimit: number }
  exportOnExit: string | undefined
  /** Write the contract coverage here on exit: Markdown for a `.md` name, JSON otherwise. */
  coverageReport: string | undefined
  /** Seconds a SIGTERM waits for requests in flight before closing their connections. */
  shutdownTimeout: number
  /** `--allowed-hosts`: Host values accepted beside loopback and `--host` (DNS rebinding defence). */
  allowedHosts: readonly AllowedHost[]
  /** Seconds before slow or idle connections are closed. */
  timeouts: ConnectionTimeouts
  /** `--max-token-lifetime`: the longest `exp - iat` a bearer token may have, in seconds. */
  maxTokenLifetime: number
  /** `--max-auto-connections`: connections a tenant may have before unknown ids stop creating one. */
  maxAutoConnections: number
}

export interface ConnectionTimeouts {
  /** The whole request line and headers, and the TLS handshake before them. */
  headersSeconds: number
  /** The whole request, body included. */
  requestSeconds: number
  /** An idle keep-alive connection between requests. */
  keepAliveSeconds: number
  /** A proxy tunnel with no traffic either way. */
  tunnelIdleSeconds: number
}

export const DEFAULT_TIMEOUTS: ConnectionTimeouts = {
  headersSeconds: DEFAULTS['headers-timeout'],
  requestSeconds: DEFAULTS['request-timeout'],
  keepAliveSeconds: DEFAULTS['keep-alive-timeout'],
  tunnelIdleSeconds: DEFAULTS['tunnel-idle-timeout'],
}

export const DEFAULT_MAX_TOKEN_LIFETIME = DEFAULTS['max-token-lifetime']
export const DEFAULT_MAX_AUTO_CONNECTIONS = DEFAULTS['max-auto-connections']

const HELP_WIDTH = 100
const HELP_INDENT = 6

/**
 * `--help`: the usage, then per setting a line with its flag, variable and default (aligned), and
 * its help with the values it takes below, wrapped to 100 columns.
 */
export function helpText(): string {
  const rows = Object.entries(SETTINGS).map(([name, setting]: [string, Setting<unknown>]) => ({
    flag: `--${name}`,
    env: envName(name),
    head: `default ${defaultText(setting)}`,
    help: `${setting.help}. Values: ${setting.accepts}.`,
  }))
  rows.push({ flag: '-h, --help', env: '', head: '', help: 'Print this text.' })
  rows.push({ flag: '--version', env: '', head: '', help: 'Print the version.' })
  const flagWidth = Math.max(...rows.map((row) => row.flag.length))
  const envWidth = Math.max(...rows.map((row) => row.env.length))
  const lines = rows.flatMap(({ flag, env, head, help }) => [
    `  ${flag.padEnd(flagWidth)}  ${env.padEnd(envWidth)}  ${head}`.trimEnd(),
    ...wrap(help, HELP_WIDTH - HELP_INDENT).map((line) => `${' '.repeat(HELP_INDENT)}${line}`),
  ])
  const command = 'power-automate-admin-emulator'
  return [
    `Usage: ${command} [flags]`,
    `       ${command} token (--user <upn|objectId> | --client-id <id>)`,
    `       ${' '.repeat(command.length)}       [--tenant <id|domain>] [--audience <aud>]`,
    `       ${' '.repeat(command.length)}       [--expires-in <s>] [--url <base>] [--control-key <key>]`,
    `       ${command} wait [--url <base>] [--timeout <seconds>] [--control-key <key>]`,
    `       ('token --help' and 'wait --help' describe them)`,
    '',
    'Flags (each also an environment variable; flags win):',
    ...lines,
  ].join('\n')
}

/** How a setting's default reads in `--help` and the README. */
export const defaultText = (setting: Setting<unknown>): string =>
  setting.defaultText ?? String(setting.default)

function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  return [...lines, line]
}

/** Parses argv and the environment into a validated configuration; throws ConfigError on anything wrong. */
export function loadConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): EmulatorConfig & { help: boolean; version: boolean } {
  const { given, help, version } = readArgv(argv)
  const known = new Set(Object.keys(SETTINGS).map(envName))
  for (const name of Object.keys(env)) {
    if (name.startsWith('PAAE_') && !known.has(name)) {
      throw new ConfigError(`Unknown environment variable ${name}. Known: ${[...known].join(', ')}`)
    }
  }
  const values = Object.fromEntries(
    Object.entries(SETTINGS).map(([name, setting]: [string, Setting<unknown>]) => {
      const fromFlag = given.get(name)
      const fromEnv = env[envName(name)]
      const text = fromFlag ?? fromEnv
      if (text === undefined) return [name, setting.default]
      const source = fromFlag === undefined ? envName(name) : `--${name}`
      if (text.trim() === '') throw new ConfigError(`${source} must not be empty`)
      return [name, setting.parse(text, source)]
    }),
  ) as SettingValues
  const explicit = (name: SettingName) => given.has(name) || env[envName(name)] !== undefined
  // `--port 0` asks for free ports: HTTPS follows unless it was set (the proxy is off unless set).
  if (values.port === 0 && !explicit('https-port')) values['https-port'] = 0
  return { ...configFrom(values), help, version }
}

/** Flags and their text values; a boolean's bare flag reads as `true`. */
function readArgv(argv: readonly string[]): { given: Map<string, string>; help: boolean; version: boolean } {
  const given = new Map<string, string>()
  let help = false
  let version = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--help' || arg === '-h') {
      help = true
      continue
    }
    if (arg === '--version') {
      version = true
      continue
    }
    if (!arg.startsWith('--')) throw usageError(`Unexpected argument '${arg}'`)
    const equals = arg.indexOf('=')
    const name = arg.slice(2, equals === -1 ? undefined : equals)
    if (!Object.hasOwn(SETTINGS, name)) throw usageError(`Unknown option '--${name}'`)
    const setting: Setting<unknown> = SETTINGS[name as SettingName]
    const next = argv[i + 1]
    if (equals !== -1) given.set(name, arg.slice(equals + 1))
    else if (next !== undefined && !next.startsWith('--')) given.set(name, argv[++i]!)
    else if (setting.bare) given.set(name, 'true')
    else throw usageError(`Option '--${name}' needs a value`)
  }
  return { given, help, version }
}

const usageError = (message: string) => new ConfigError(`${message}. Run with --help for the flags.`)

/** The settings, shaped as the emulator uses them; checks what concerns two settings at once. */
function configFrom(v: SettingValues): EmulatorConfig {
  if ((v['tls-cert'] === undefined) !== (v['tls-key'] === undefined))
    throw new ConfigError('--tls-cert and --tls-key go together')
  if ((v['ca-cert'] === undefined) !== (v['ca-key'] === undefined))
    throw new ConfigError('--ca-cert and --ca-key go together')
  if (v['headers-timeout'] > v['request-timeout'])
    throw new ConfigError('--headers-timeout must not be longer than --request-timeout')
  const dataDir = resolve(v['data-dir'])
  return {
    host: v.host,
    port: v.port,
    dataDir,
    db: v.db ?? resolve(dataDir, 'emulator.sqlite'),
    fixtures: v.fixtures,
    seed: !v['no-seed'],
    logLevel: v['log-level'],
    logFormat: v['log-format'],
    httpsPort: v['https-port'],
    tlsCert: v['tls-cert'],
    tlsKey: v['tls-key'],
    proxyPort: v['proxy-port'],
    caCert: v['ca-cert'],
    caKey: v['ca-key'],
    issuerHost: v['issuer-host'],
    deviceCodeInterval: v['device-code-interval'],
    throttle: {
      enabled: v.throttle,
      limit: v['throttle-limit'],
      windowSeconds: v['throttle-window-seconds'],
      countRejected: v['throttle-count-rejected'],
    },
    throttleFlowApi: v['throttle-flow-api'],
    rateLimitHeaders: v['rate-limit-headers'],
    autoConnections: v['auto-connections'],
    randomSeed: v.seed,
    controlKey: v['control-key'],
    journal: { size: v['journal-size'], bodyLimit: v['journal-body-limit'] },
    exportOnExit: v['export-on-exit'],
    coverageReport: v['coverage-report'],
    shutdownTimeout: v['shutdown-timeout'],
    allowedHosts: v['allowed-hosts'],
    timeouts: {
      headersSeconds: v['headers-timeout'],
      requestSeconds: v['request-timeout'],
      keepAliveSeconds: v['keep-alive-timeout'],
      tunnelIdleSeconds: v['tunnel-idle-timeout'],
    },
    maxTokenLifetime: v['max-token-lifetime'],
    maxAutoConnections: v['max-auto-connections'],
  }
}
