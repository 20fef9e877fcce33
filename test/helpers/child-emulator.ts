import { spawn, type ChildProcess } from 'node:child_process'

export const BIN = new URL('../../bin/power-automate-admin-emulator.js', import.meta.url).pathname
const children: ChildProcess[] = []

export interface ChildEmulator {
  child: ChildProcess
  /** The start-up lines (not the JSON log lines). */
  lines: string[]
  base: string
  /** Everything it wrote so far, stdout and stderr. */
  output: () => string
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>
}

/** The flags the tests start a child emulator with: any free port, no HTTPS, database `db`, then `extra`. */
export const childFlags = (db: string, ...extra: string[]): string[] => [
  '--port',
  '0',
  '--https-port',
  'off',
  '--db',
  db,
  ...extra,
]

/** Starts the emulator as a user would and resolves with its printed start-up lines. */
export function startEmulator(args: string[]): Promise<ChildEmulator> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let out = ''
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  )
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start-up lines in 15 s:\n${out}`)), 15_000)
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const lines = out.split('\n').filter((l) => !l.startsWith('{'))
      const api = lines.find((l) => l.startsWith('Flow admin API:'))
      if (api && out.includes('Database:')) {
        clearTimeout(timer)
        resolve({ child, lines, base: new URL(api.split(/\s+/)[3]!).origin, output: () => out, exited })
      }
    })
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)))
  })
}

/** afterEach: no emulator outlives its test. */
export function killEmulators(): void {
  for (const child of children.splice(0)) child.kill('SIGKILL')
}
