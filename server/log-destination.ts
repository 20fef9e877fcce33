import { pino } from 'pino'

/** Lines are written to the file descriptor in chunks of about this many characters... */
const CHUNK_CHARS = 16 * 1024
/** ...or this long after the first waiting line, so a quiet emulator's log still reads as live. */
const FLUSH_AFTER_MS = 50

const open = new Set<BatchedLogDestination>()
// A crash or process.exit() loses no waiting line.
process.on('exit', () => {
  for (const destination of open) destination.flushSync()
})

/**
 * The log's destination: pino's file-descriptor stream (sonic-boom), fed whole chunks. sonic-boom
 * measures its pending text on every write it is given, so under load queueing a request's line
 * one by one cost more than formatting it (issue 8); here lines wait in an array and go over
 * joined, when a chunk is full, 50 ms after the first, when the app closes and on exit.
 */
export class BatchedLogDestination {
  private pending: string[] = []
  private size = 0
  private timer: NodeJS.Timeout | undefined
  private out: ReturnType<typeof pino.destination> | undefined
  private closed = false

  constructor(private readonly fd = 1) {
    open.add(this)
  }

  write(line: string): void {
    if (this.closed) return void this.stream().write(line)
    this.pending.push(line)
    this.size += line.length
    if (this.size >= CHUNK_CHARS) this.flush()
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_AFTER_MS).unref()
  }

  /** Writes every waiting line, as one chunk. */
  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.pending.length === 0) return
    const chunk = this.pending.join('')
    this.pending = []
    this.size = 0
    this.stream().write(chunk)
  }

  /** The process is exiting: whatever waits is written now. */
  flushSync(): void {
    try {
      this.flush()
    } catch {
      // The descriptor is gone (a closed pipe): nothing can be written, and exit must go on.
    }
  }

  /** App close: what waits is written, and from now on every line at once, so nothing is left for exit. */
  close(): void {
    this.flush()
    this.closed = true
    open.delete(this)
  }

  // Created on first use: an app that never logs (tests at level silent) opens nothing.
  // Synchronous: chunks are few, and a line handed over is on the descriptor, in order, whatever
  // happens next (an asynchronous write still in flight at exit would land after the exit flush).
  private stream() {
    return (this.out ??= pino.destination({ dest: this.fd, sync: true }))
  }
}
