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
  return {
    host,
    port,
    dataDir,
    db,
    fixtures: fixturesValue === undefined ? undefined : resolve(fixturesValue),
    seed: raw('no-seed') !== true,
    logLevel: logLevel as LogLevel,
    help: values['help'] === true,
  }
}

function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new ConfigError(`--port must be a whole number from 0 to 65535; got '${value}'`)
  }
  return Number(value)
}

function parseBoolean(value: string, name: string): boolean {
  if (/^(true|1|yes)$/i.test(value)) return true
  if (/^(false|0|no)$/i.test(value)) return false
  throw new ConfigError(`${name} must be true or false; got '${value}'`)
}
