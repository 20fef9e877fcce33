import { parseArgs, type ParseArgsConfig } from 'node:util'

import { ConfigError } from './config.ts'
import { defaultEmulatorUrl } from './wait-for-ready.ts'

/**
 * What the client commands (`token`, `wait`) share: where the emulator is (`--url`, else
 * `PAAE_PORT` on loopback), its control key (`--control-key`, else `PAAE_CONTROL_KEY`), and
 * `--help`/`-h`/`--version`.
 */

type Options = NonNullable<ParseArgsConfig['options']>

export interface CommandValues {
  values: Record<string, string | boolean | undefined>
  url: string
  controlKey: string | undefined
  help: boolean
  version: boolean
}

export function parseCommand(
  command: string,
  argv: string[],
  env: NodeJS.ProcessEnv,
  options: Options,
): CommandValues {
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      args: joinNegativeValues(argv),
      strict: true,
      allowNegative: false,
      options: {
        ...options,
        url: { type: 'string' },
        'control-key': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    }))
  } catch (error) {
    throw new ConfigError(`${command}: ${(error as Error).message}. Run '${command} --help' for the flags.`)
  }
  // Checked before the URL it makes, so that the message names the variable that is wrong.
  const port = env['PAAE_PORT']
  if (port !== undefined && (!/^\d{1,5}$/.test(port) || Number(port) > 65_535))
    throw new ConfigError(`${command}: PAAE_PORT must be a port number; got '${port}'`)
  const url = (values['url'] as string | undefined) ?? defaultEmulatorUrl(env)
  try {
    new URL(url)
  } catch {
    throw new ConfigError(`${command}: --url must be a URL such as http://127.0.0.1:7070; got '${url}'`)
  }
  return {
    values,
    url,
    controlKey: (values['control-key'] as string | undefined) ?? env['PAAE_CONTROL_KEY'],
    help: values['help'] === true,
    version: values['version'] === true,
  }
}

/** A whole number of seconds within [min, max], or a ConfigError naming the flag. */
export function parseSeconds(command: string, flag: string, value: string, min: number, max: number): number {
  if (!/^-?\d{1,8}$/.test(value) || Number(value) < min || Number(value) > max)
    throw new ConfigError(
      `${command}: --${flag} must be a whole number of seconds from ${min} to ${max}; got '${value}'`,
    )
  return Number(value)
}

/** Prints a command's text (`--help`, `--version`) and succeeds. */
export function print(text: string): number {
  console.log(text)
  return 0
}

/**
 * `--flag -60` as `--flag=-60`: node's parseArgs takes a value starting with a dash for a flag, and
 * its message for that is garbled; a negative number is a value, and the flag's own check judges it.
 */
function joinNegativeValues(argv: readonly string[]): string[] {
  const joined: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const next = argv[i + 1]
    if (arg.startsWith('--') && !arg.includes('=') && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`)
      i++
    } else joined.push(arg)
  }
  return joined
}
