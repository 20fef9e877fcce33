/**
 * Polls `GET /_emulator/ready` until the emulator answers 200: the `wait` command's loop, and the
 * short grace the `token` command gives an emulator that is still starting.
 */

export interface ReadyTarget {
  /** The emulator's base URL, e.g. `http://127.0.0.1:7070`. */
  url: string
  /** Sent as `x-emulator-key` when the emulator runs with `--control-key`. */
  controlKey?: string | undefined
}

export type ReadyResult = { ready: true } | { ready: false; reason: string; refused: boolean }

const POLL_MS = 100

/** Resolves once the emulator is ready, or with the last reason it was not when `timeoutMs` ran out. */
export async function waitForReady(target: ReadyTarget, timeoutMs: number): Promise<ReadyResult> {
  const deadline = Date.now() + timeoutMs
  const url = new URL('/_emulator/ready', target.url)
  const headers = target.controlKey ? { 'x-emulator-key': target.controlKey } : undefined
  for (;;) {
    let reason: string
    try {
      const response = await fetch(url, {
        ...(headers ? { headers } : {}),
        signal: AbortSignal.timeout(2000),
      })
      const text = await response.text()
      if (response.status === 200) return { ready: true }
      reason = `it answered ${response.status}: ${text}`
      // A refused key or a non-loopback client will not change by waiting.
      if (response.status === 401 || response.status === 403) return { ready: false, reason, refused: true }
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause
      reason = `cannot reach it (${cause?.code ?? cause?.message ?? (error as Error).message})`
    }
    if (Date.now() + POLL_MS > deadline) return { ready: false, reason, refused: false }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/** The base URL a command talks to when given none: the emulator's default host and `PAAE_PORT`. */
export function defaultEmulatorUrl(env: NodeJS.ProcessEnv): string {
  return `http://127.0.0.1:${env['PAAE_PORT'] ?? '7070'}`
}
