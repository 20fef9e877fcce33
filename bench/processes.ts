import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

export interface Started {
  child: ChildProcess
  base: string
  /** ms from spawn to the first 200 on the readiness URL. */
  coldStartMs: number
  stop(): Promise<void>
  rssMb(): number
}

/** Spawns a server, waits for its port, then polls `readyPath` until it answers 200. */
export async function startProcess(args: string[], readyPath: string, logFile: string): Promise<Started> {
  const started = performance.now()
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  const log = createWriteStream(logFile)
  child.stderr.pipe(log)
  const base = await new Promise<string>((resolve, reject) => {
    let out = ''
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const match = /(?:listening |Flow admin API: +)(?:http:\/\/127\.0\.0\.1:)?(\d+)/.exec(out)
      if (match) resolve(`http://127.0.0.1:${match[1]}`)
    }
    child.stdout.on('data', onData)
    child.stdout.pipe(log)
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)))
  })
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
