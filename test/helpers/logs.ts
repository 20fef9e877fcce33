import { Writable } from 'node:stream'

/** A log stream for buildApp that keeps every JSON log line, parsed. */
export function captureLogs(): { logStream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = []
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString()
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      )
      done()
    },
  })
  return { logStream, lines }
}
