import { parseArgs } from 'node:util'

import { ConfigError } from './config.ts'

/**
 * `power-automate-admin-emulator token --user admin@contoso.onmicrosoft.com [--audience <aud>] [--expires-in <s>]` prints an access token
 * minted by a running emulator, for curl demos: `TOKEN=$(npx power-automate-admin-emulator token ...)`.
 */
export async function runTokenCommand(argv: string[]): Promise<number> {
  let values: Record<string, string | undefined>
  try {
    ;({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        user: { type: 'string' },
        'client-id': { type: 'string' },
        tenant: { type: 'string' },
        audience: { type: 'string' },
        'expires-in': { type: 'string' },
        url: { type: 'string', default: 'http://127.0.0.1:7070' },
      },
    }) as { values: Record<string, string | undefined> })
  } catch (error) {
    throw new ConfigError(`token: ${(error as Error).message}`)
  }
  if (!values['user'] && !values['client-id'])
    throw new ConfigError('token: give --user <upn|objectId> or --client-id <id>')
  const body = {
    ...(values['tenant'] ? { tenant: values['tenant'] } : {}),
    ...(values['user'] ? { user: values['user'] } : {}),
    ...(values['client-id'] ? { clientId: values['client-id'] } : {}),
    ...(values['audience'] ? { audience: values['audience'] } : {}),
    ...(values['expires-in'] ? { expiresInSeconds: parseExpiresIn(values['expires-in']) } : {}),
  }
  const url = new URL('/_emulator/tokens', values['url'])
  let response: Response
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
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

/** Seconds, a whole number up to a year: a long-lived token for a tool that caches it (the CLI for Microsoft 365). */
function parseExpiresIn(value: string): number {
  if (!/^\d{1,8}$/.test(value) || Number(value) < 1 || Number(value) > 31_536_000)
    throw new ConfigError(
      `token: --expires-in must be a whole number of seconds from 1 to 31536000; got '${value}'`,
    )
  return Number(value)
}
