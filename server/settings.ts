import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

/**
 * Every setting of the emulator, each defined once: its flag, its `PAAE_*` variable (the flag in
 * upper case), its type and limits, its default and its help. The parser and `--help` (config.ts),
 * the defaults of `buildApp` (app.ts) and the README's settings table (`npm run docs:settings`)
 * all come from this table.
 *
 * Adding a setting is one entry in SETTINGS below; then pass its value on in `configFrom`
 * (config.ts) to the code that uses it, and run `npm run docs:settings`.
 */

export class ConfigError extends Error {
  override name = 'ConfigError'
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]
export const LOG_FORMATS = ['pretty', 'json'] as const
export type LogFormat = (typeof LOG_FORMATS)[number]

export interface Setting<T> {
  /** What the setting does, one sentence, without the default or the limits. */
  help: string
  /** The value used when neither the flag nor the variable is given. */
  default: T
  /** How the default reads in `--help` and the README, when it is not the value itself. */
  defaultText?: string
  /** The values accepted, for `--help` and the README: `1 to 60`, `true, false`. */
  accepts: string
  /** A boolean: the bare flag means true, and a following `true`/`false` is its value. */
  bare?: true
  /** Turns the text of a flag or variable into the value; throws ConfigError naming `name`. */
  parse(text: string, name: string): T
}

const fail = (name: string, what: string, text: string): never => {
  throw new ConfigError(`${name} must be ${what}; got '${text}'`)
}

/** `true` or `false`, the bare flag, or one of today's older spellings (`on`/`off`, `1`/`yes`). */
function flag(defaultValue: boolean, help: string, aliases: Record<string, boolean> = {}): Setting<boolean> {
  const words: Record<string, boolean> = { true: true, false: false, ...aliases }
  const names = [true, false].flatMap((v) => Object.keys(aliases).filter((word) => aliases[word] === v))
  return {
    help,
    default: defaultValue,
    accepts: `true, false${names.length ? ` (or ${names.join(', ')})` : ''}`,
    bare: true,
    parse: (text, name) => words[text.toLowerCase()] ?? fail(name, 'true or false', text),
  }
}

interface Described<D> {
  help: string
  default: D
  defaultText?: string
}

const described = <D>({ help, default: value, defaultText }: Described<D>) => ({
  help,
  default: value,
  ...(defaultText !== undefined && { defaultText }),
})

function whole<D extends number | undefined>(
  min: number,
  max: number,
  options: Described<D>,
): Setting<number | D> {
  return {
    ...described(options),
    accepts: `${min} to ${max}`,
    parse: (text, name) =>
      /^\d{1,10}$/.test(text) && Number(text) >= min && Number(text) <= max
        ? Number(text)
        : fail(name, `a whole number from ${min} to ${max}`, text),
  }
}

function port(options: Described<number>): Setting<number> {
  return switchablePort(undefined, options) as Setting<number>
}

/** A port whose listener can be off: `off` gives `offValue`. */
function switchablePort<Off extends 'off' | undefined>(
  offValue: Off,
  options: Described<number | Off>,
): Setting<number | Off> {
  const canBeOff = offValue !== undefined || options.default === undefined
  return {
    ...described(options),
    accepts: canBeOff ? '0 to 65535, off' : '0 to 65535',
    parse: (text, name) => {
      if (canBeOff && text === 'off') return offValue
      if (/^\d{1,5}$/.test(text) && Number(text) <= 65535) return Number(text)
      return fail(name, `a whole number from 0 to 65535${canBeOff ? ', or off' : ''}`, text)
    },
  }
}

function text<D extends string | undefined>(
  options: Described<D> & { minLength?: number },
): Setting<string | D> {
  const minLength = options.minLength ?? 1
  return {
    ...described(options),
    accepts: minLength > 1 ? `at least ${minLength} characters` : 'text',
    // The value may be a secret: the message does not repeat it.
    parse: (value, name) => {
      if (value.length >= minLength) return value
      throw new ConfigError(`${name} must be at least ${minLength} characters`)
    },
  }
}

/** A path, resolved against the working directory; `keep` lists values taken as they are. */
function path<D extends string | undefined>(
  options: Described<D> & { keep?: readonly string[] },
): Setting<string | D> {
  const keep = options.keep ?? []
  return {
    ...described(options),
    accepts: ['a path', ...keep].join(', '),
    parse: (value) => (keep.includes(value) ? value : resolve(value)),
  }
}

/** A file that must be readable at start-up. */
function file(options: Described<undefined>): Setting<string | undefined> {
  return {
    ...described(options),
    accepts: 'a PEM file',
    parse: (value, name) => {
      const full = resolve(value)
      try {
        readFileSync(full)
      } catch (error) {
        throw new ConfigError(
          `${name}: cannot read '${full}' (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
        )
      }
      return full
    },
  }
}

function oneOf<const T extends string>(values: readonly T[], options: Described<T>): Setting<T>
function oneOf<const T extends string>(
  values: readonly T[],
  options: Described<undefined>,
): Setting<T | undefined>
function oneOf<const T extends string>(
  values: readonly T[],
  options: Described<T | undefined>,
): Setting<T | undefined> {
  return {
    ...described(options),
    accepts: values.join(', '),
    parse: (value, name) =>
      (values as readonly string[]).includes(value)
        ? (value as T)
        : fail(name, `one of ${values.join(', ')}`, value),
  }
}

function origin(options: Described<undefined>): Setting<string | undefined> {
  const what = 'an origin such as https://localhost:7443'
  return {
    ...described(options),
    accepts: 'an http(s) origin',
    parse: (value, name) => {
      let url: URL
      try {
        url = new URL(value)
      } catch {
        return fail(name, what, value)
      }
      const plain = url.pathname === '/' && !url.search && !url.hash
      if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !plain) return fail(name, what, value)
      return url.origin
    },
  }
}

/** A `--allowed-hosts` entry: a host name or address, and a port when the entry names one. */
export interface AllowedHost {
  host: string
  port: number | undefined
}

/** `name[:port]` entries: names as DNS allows them, IPv4, or a bracketed IPv6 address. */
const ALLOWED_HOST =
  /^(?<host>[a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9](?:[a-z0-9-]{0,62}))*|\[[0-9a-f:.]+\])(?::(?<port>\d{1,5}))?$/

function hostList(options: Described<readonly AllowedHost[]>): Setting<readonly AllowedHost[]> {
  return {
    ...described(options),
    accepts: 'comma-separated name[:port] entries',
    parse: (value, name) =>
      value.split(',').map((raw) => {
        const match = ALLOWED_HOST.exec(raw.trim().toLowerCase())
        const port = match?.groups?.['port']
        if (!match || (port !== undefined && Number(port) > 65535)) {
          throw new ConfigError(
            `${name} takes comma-separated host names or addresses, each with an optional :port; got '${raw.trim()}'`,
          )
        }
        return { host: match.groups!['host']!, port: port === undefined ? undefined : Number(port) }
      }),
  }
}

/**
 * A file the emulator will write: its folder must exist and be writable at start-up, so a typo
 * fails then (exit 2), not in the signal handler.
 */
function writableFile(options: Described<undefined>): Setting<string | undefined> {
  return {
    ...described(options),
    accepts: 'a path in a writable folder',
    parse: (value, name) => {
      const full = resolve(value)
      try {
        if (existsSync(full)) {
          if (statSync(full).isDirectory()) throw new ConfigError(`${name}: '${full}' is a folder`)
          accessSync(full, constants.W_OK)
        } else accessSync(dirname(full), constants.W_OK)
      } catch (error) {
        if (error instanceof ConfigError) throw error
        throw new ConfigError(
          `${name}: cannot write '${full}' (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
        )
      }
      return full
    },
  }
}

/** The table. Its order is the order of `--help` and of the README. */
export const SETTINGS = {
  host: text({ help: 'Interface to listen on', default: '127.0.0.1' }),
  port: port({ help: 'HTTP port; 0 picks a free one (the start-up lines print it)', default: 7070 }),
  'https-port': switchablePort('off', {
    help: 'HTTPS port; 0 picks a free one (so does --port 0 unless this is set), off serves HTTP only',
    default: 7443,
  }),
  'tls-cert': file({
    help: 'PEM certificate for HTTPS; goes with --tls-key',
    default: undefined,
    defaultText: 'issued by the local CA',
  }),
  'tls-key': file({ help: 'PEM private key of --tls-cert', default: undefined, defaultText: 'none' }),
  'proxy-port': switchablePort(undefined, {
    help: 'Port of the HTTPS proxy (CONNECT) for tools with hard-coded Microsoft hosts',
    default: undefined,
    defaultText: 'off',
  }),
  'ca-cert': file({
    help: 'PEM CA certificate that issues the HTTPS and proxy certificates; goes with --ca-key',
    default: undefined,
    defaultText: 'generated in <data-dir>/ca',
  }),
  'ca-key': file({ help: 'PEM private key of --ca-cert', default: undefined, defaultText: 'none' }),
  'data-dir': path({ help: 'Folder for persistent data', default: './.emulator-data' }),
  db: path({
    help: 'SQLite file; :memory: keeps nothing',
    default: undefined,
    defaultText: '<data-dir>/emulator.sqlite',
    keep: [':memory:'],
  }),
  fixtures: path({
    help: 'Fixture file, seeded into a database that was never seeded',
    default: undefined,
    defaultText: 'the demo tenant',
  }),
  'no-seed': flag(false, 'Start with an empty database', { '1': true, yes: true, '0': false, no: false }),
  'log-level': oneOf(LOG_LEVELS, { help: 'Log level', default: 'info' }),
  'log-format': oneOf(LOG_FORMATS, {
    help: 'Log lines as JSON, or as one line of text each for a terminal (pretty)',
    default: undefined,
    defaultText: 'pretty on a terminal, else json',
  }),
  'issuer-host': origin({
    help: 'Issue tokens as this origin, e.g. https://localhost:7443',
    default: undefined,
    defaultText: "Microsoft's issuers",
  }),
  'device-code-interval': whole(1, 60, {
    help: 'Seconds a device-code client waits between polls',
    default: 5,
  }),
  throttle: flag(true, 'Throttle calls per connection', { on: true, off: false }),
  'throttle-limit': whole(1, 1_000_000, { help: 'Calls per connection per window', default: 100 }),
  'throttle-window-seconds': whole(1, 86_400, { help: 'Seconds of the sliding window', default: 60 }),
  'throttle-count-rejected': flag(true, 'Calls refused with 429 count too, as in Azure API Management'),
  'throttle-flow-api': flag(
    false,
    "Throttle the direct Flow API too, keyed by the caller; otherwise only the connector gateway's calls count",
  ),
  'rate-limit-headers': flag(false, 'Add RateLimit-* headers (the real gateway sends none)'),
  'auto-connections': flag(true, 'An unknown connection id creates a connection for the caller'),
  seed: whole(0, 4_294_967_295, {
    help: 'Draw request ids, tenant ids, token ids, codes and fault draws from this seed',
    default: undefined,
    defaultText: 'random',
  }),
  'control-key': text({
    help: 'Every /_emulator call must send it in x-emulator-key (needed off loopback)',
    default: undefined,
    defaultText: 'none',
    minLength: 16,
  }),
  'journal-size': whole(0, 100_000, { help: 'Requests kept in the journal; 0 turns it off', default: 1000 }),
  'journal-body-limit': whole(0, 1_048_576, { help: 'Bytes kept of each journaled body', default: 16_384 }),
  'export-on-exit': writableFile({
    help: 'Write the state to this file on SIGINT/SIGTERM',
    default: undefined,
    defaultText: 'none',
  }),
  'coverage-report': path({
    help: 'Write the contract coverage to this file on SIGINT/SIGTERM: Markdown if it ends in .md, JSON otherwise',
    default: undefined,
    defaultText: 'none',
  }),
  'shutdown-timeout': whole(0, 3600, {
    help: 'Seconds SIGINT/SIGTERM wait for requests in flight',
    default: 10,
  }),
  'allowed-hosts': hostList({
    help: 'More Host names to answer beside loopback and --host (a Docker service name, a shared demo host); others get 403',
    default: [],
    defaultText: 'none',
  }),
  'headers-timeout': whole(1, 3600, {
    help: 'Seconds a client has for the TLS handshake and the request headers',
    default: 30,
  }),
  'request-timeout': whole(1, 3600, { help: 'Seconds a client has to send a whole request', default: 120 }),
  'keep-alive-timeout': whole(1, 3600, {
    help: 'Seconds an idle keep-alive connection stays open',
    default: 5,
  }),
  'tunnel-idle-timeout': whole(1, 86_400, {
    help: 'Seconds a proxy tunnel may stay without traffic',
    default: 120,
  }),
  // Entra issues tokens for 60 to 90 minutes (entra.md §4.2); a day leaves room for minted test tokens.
  'max-token-lifetime': whole(60, 31_536_000, {
    help: 'Longest exp - iat, in seconds, of a bearer token the API accepts',
    default: 86_400,
  }),
  'max-auto-connections': whole(0, 1_000_000, {
    help: 'Connections a tenant may have before an unknown connection id stops creating one',
    default: 1000,
  }),
} satisfies Record<string, Setting<unknown>>

export type SettingName = keyof typeof SETTINGS
export type SettingValues = {
  [K in SettingName]: (typeof SETTINGS)[K] extends Setting<infer T> ? T : never
}

/** The default of every setting, for `buildApp` and the parser alike. */
export const DEFAULTS = Object.fromEntries(
  Object.entries(SETTINGS).map(([name, setting]) => [name, setting.default]),
) as SettingValues

/** `throttle-limit` → `PAAE_THROTTLE_LIMIT`. */
export const envName = (name: string): string => `PAAE_${name.toUpperCase().replaceAll('-', '_')}`
