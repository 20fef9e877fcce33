import { parseCommand, parseSeconds, print } from './command-options.ts'
import { version } from './version.ts'
import { waitForReady } from './wait-for-ready.ts'

export const WAIT_USAGE = `Usage: power-automate-admin-emulator wait [--url <base>] [--timeout <seconds>] [--control-key <key>]

Exits 0 once the emulator at --url answers GET /_emulator/ready, 1 when --timeout runs out.

  --url <base>          the emulator (default http://127.0.0.1:$PAAE_PORT, or :7070)
  --timeout <seconds>   how long to wait, 1 to 3600 (default 30)
  --control-key <key>   the emulator's --control-key (default PAAE_CONTROL_KEY)
  -h, --help            print this text
  --version             print the version`

/** `power-automate-admin-emulator wait`: for scripts that start the emulator in the background. */
export async function runWaitCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const command = parseCommand('wait', argv, env, { timeout: { type: 'string' } })
  if (command.help) return print(WAIT_USAGE)
  if (command.version) return print(version)
  const timeout = parseSeconds(
    'wait',
    'timeout',
    (command.values['timeout'] as string | undefined) ?? '30',
    1,
    3600,
  )
  const result = await waitForReady({ url: command.url, controlKey: command.controlKey }, timeout * 1000)
  if (result.ready) return 0
  const when = result.refused ? 'refused the check' : `was not ready after ${timeout} s`
  console.error(`wait: the emulator at ${command.url} ${when}: ${result.reason}`)
  return 1
}
