import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

export interface Started {
  child: ChildProcess
  base: string
  /** ms from spawn to the first 200 on the readiness URL. */
  coldStartMs: number
  stop(): Promise<void>
  /** CPU time the process has used so far, all its threads, in µs (10 ms steps). */
  cpuMicroseconds(): number
  rssMb(): number
}

/**
 * Spawns a server in `cwd` (this checkout by default), waits for its port, then polls `readyPath`
 * until it answers 200.
 */
export async function startProcess(
  args: string[],
  readyPath: string,
  logFile: string,
  cwd = ROOT,
): Promise<Started> {
  const started = performance.now()
  // Output goes straight to a file: a pipe read by this (busy) process would throttle the server.
  const fd = openSync(logFile, 'w')
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', fd, fd] })
  closeSync(fd)
  let base: string | undefined
  while (!base) {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${readFileSync(logFile, 'utf8')}`)
    const match = /(?:listening |Flow admin API: +http:\/\/127\.0\.0\.1:)(\d+)/.exec(
      readFileSync(logFile, 'utf8'),
    )
    if (match) base = `http://127.0.0.1:${match[1]}`
    else await new Promise((r) => setTimeout(r, 2))
  }
  for (;;) {
    try {
      if ((await fetch(`${base}${readyPath}`)).ok) break
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 2))
  }
  const coldStartMs = performance.now() - started
  return {
    child,
    base,
    coldStartMs,
    cpuMicroseconds: () => {
      // utime and stime, every thread of the process, in clock ticks (100 a second on Linux).
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      return (Number(fields[11]) + Number(fields[12])) * 10_000
    },
    rssMb: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

/** The emulator as the bench starts it: its own process, in-memory, demo tenant, log level info, no throttling in the way. */
export const emulatorArgs = (extra: string[] = []) => [
  'bin/power-automate-admin-emulator.js',
  '--port',
  '0',
  '--https-port',
  'off',
  '--db',
  ':memory:',
  '--log-level',
  'info',
  '--throttle-limit',
  '1000000',
  ...extra,
]

/** A token from the running emulator's control plane. */
export async function mint(emulator: Started, body: object): Promise<string> {
  const res = await fetch(`${emulator.base}/_emulator/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return ((await res.json()) as { access_token: string }).access_token
}
