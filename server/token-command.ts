import { parseCommand, parseSeconds, print } from './command-options.ts'
import { ConfigError } from './config.ts'
import { version } from './version.ts'
import { waitForReady } from './wait-for-ready.ts'

export const TOKEN_USAGE = `Usage: power-automate-admin-emulator token (--user <upn|objectId> | --client-id <id>) [flags]

Prints an access token minted by a running emulator (POST /_emulator/tokens).

  --user <upn|objectId>   a delegated token for this user
  --client-id <id>        an app-only token for this registered app (with --user: the app the user signed in with)
  --tenant <id|domain>    the tenant (default: the UPN's domain)
  --audience <aud>        default https://service.flow.microsoft.com/
  --expires-in <seconds>  -31536000 to 31536000, negative for an expired token (default 3600)
  --url <base>            the emulator (default http://127.0.0.1:$PAAE_PORT, or :7070)
  --control-key <key>     the emulator's --control-key (default PAAE_CONTROL_KEY)
  --wait <seconds>        how long to wait for an emulator still starting, 0 to 600 (default 10)
  -h, --help              print this text
  --version               print the version`

/**
 * `power-automate-admin-emulator token --user admin@contoso.onmicrosoft.com` prints an access
 * token minted by a running emulator, for shell scripts: `TOKEN=$(... token --user ...)`.
 */
export async function runTokenCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const command = parseCommand('token', argv, env, {
    user: { type: 'string' },
    'client-id': { type: 'string' },
    tenant: { type: 'string' },
    audience: { type: 'string' },
    'expires-in': { type: 'string' },
    wait: { type: 'string' },
  })
  if (command.help) return print(TOKEN_USAGE)
  if (command.version) return print(version)
  const values = command.values as Record<string, string | undefined>
  if (!values['user'] && !values['client-id'])
    throw new ConfigError(
      "token: give --user <upn|objectId> or --client-id <id>; 'token --help' lists the flags",
    )
  const expiresIn = values['expires-in']
  const body = {
    ...(values['tenant'] ? { tenant: values['tenant'] } : {}),
    ...(values['user'] ? { user: values['user'] } : {}),
    ...(values['client-id'] ? { clientId: values['client-id'] } : {}),
    ...(values['audience'] ? { audience: values['audience'] } : {}),
    ...(expiresIn !== undefined
      ? { expiresInSeconds: parseSeconds('token', 'expires-in', expiresIn, -31_536_000, 31_536_000) }
      : {}),
  }
  const waitSeconds = parseSeconds('token', 'wait', values['wait'] ?? '10', 0, 600)
  const ready = await waitForReady({ url: command.url, controlKey: command.controlKey }, waitSeconds * 1000)
  const url = new URL('/_emulator/tokens', command.url)
  if (!ready.ready && ready.reason.startsWith('cannot reach')) {
    console.error(
      `token: cannot reach the emulator at ${url.origin}: ${ready.reason}, waited ${waitSeconds} s. Is it running?`,
    )
    return 1
  }
  let response: Response
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(command.controlKey ? { 'x-emulator-key': command.controlKey } : {}),
      },
      body: JSON.stringify(body),
    })
  } catch (error) {
    console.error(
      `token: cannot reach the emulator at ${url.origin} (${(error as Error).message}). Is it running?`,
    )
    return 1
  }
  const text = await response.text()
  if (!response.ok) {
    console.error(`token: the emulator answered ${response.status}: ${text}`)
    return 1
  }
  console.log((JSON.parse(text) as { access_token: string }).access_token)
  return 0
}
