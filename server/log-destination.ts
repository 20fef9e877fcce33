import { pino } from 'pino'

/** Lines are written to the file descriptor in chunks of at most this many bytes... */
const CHUNK_BYTES = 16 * 1024
/** ...or this long after the first waiting line, so a quiet emulator's log still reads as live. */
const FLUSH_AFTER_MS = 50
/** The most bytes a string can take in UTF-8, per UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3
/** Lines handed over unformatted (`later`) are formatted once this many wait, if not sooner. */
const MAX_WAITING_LINES = 256

type ChunkStream = { write(chunk: Buffer): boolean }

const open = new Set<BatchedLogDestination>()
// A crash or process.exit() loses no waiting line.
process.on('exit', () => {
  for (const destination of open) destination.flushSync()
})

/**
 * The log's destination: pino's file-descriptor stream (sonic-boom), fed whole chunks. sonic-boom
 * measures, joins and encodes the text it is given on every write, so under load queueing a
 * request's line one by one costs more than formatting it; here each line is encoded
 * once, straight into a chunk buffer, which goes over when full, 50 ms after its first line, when
 * the app closes and on exit.
 *
 * A line can also be handed over unformatted (`later`): the one line of every request is. Lines
 * formatted together, many in a row, cost less each than one at a time between requests, with
 * the caches full of request handling. A
 * waiting line is formatted before any other line is written and before every flush, so the log
 * keeps the order of events, and it keeps the time it was handed over (`timestamp`, pino's option).
 */
export class BatchedLogDestination {
  private chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES)
  private used = 0
  private timer: NodeJS.Timeout | undefined
  private out: ChunkStream | undefined
  private closed = false
  private waiting: { time: number; writeLine: () => void }[] = []
  /** The time of the waiting line being formatted, undefined when any other line is. */
  private replaying: number | undefined

  constructor(private readonly fd = 1) {
    open.add(this)
  }

  /** pino's `timestamp` option for a logger writing here: a waiting line keeps its own time. */
  readonly timestamp = (): string => `,"time":${this.replaying ?? Date.now()}`

  /**
   * Takes a line to format later: `writeLine` logs it (through a logger that writes here) when the
   * next other line comes, at the next flush, or once enough wait; after close, at once.
   */
  later(writeLine: () => void): void {
    if (this.closed) return writeLine()
    this.waiting.push({ time: Date.now(), writeLine })
    if (this.waiting.length >= MAX_WAITING_LINES) this.formatWaiting()
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_AFTER_MS).unref()
  }

  write(line: string): void {
    if (this.waiting.length > 0) this.formatWaiting()
    const room = line.length * MAX_BYTES_PER_UNIT
    if (this.closed || room > CHUNK_BYTES) {
      this.flush()
      return void this.stream().write(Buffer.from(line))
    }
    if (this.used + room > CHUNK_BYTES) this.flush()
    this.used += this.chunk.write(line, this.used)
    this.timer ??= setTimeout(() => this.flush(), FLUSH_AFTER_MS).unref()
  }

  /** Writes every waiting line, as one chunk. */
  flush(): void {
    if (this.waiting.length > 0) this.formatWaiting()
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.used === 0) return
    const full = this.chunk.subarray(0, this.used)
    // A new buffer for the next lines: sonic-boom keeps this one if the descriptor is not ready.
    this.chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES)
    this.used = 0
    this.stream().write(full)
  }

  /** Formats the waiting lines, in the order they came, each with its own time. */
  private formatWaiting(): void {
    // Taken out first: formatting writes here, and a line written meanwhile must not format them again.
    const waiting = this.waiting
    this.waiting = []
    try {
      for (const { time, writeLine } of waiting) {
        this.replaying = time
        writeLine()
      }
    } finally {
      this.replaying = undefined
    }
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
    // In buffer mode sonic-boom takes Buffers, which its types (strings only) do not say.
    return (this.out ??= pino.destination({
      dest: this.fd,
      sync: true,
      contentMode: 'buffer',
    }) as unknown as ChunkStream)
  }
}
