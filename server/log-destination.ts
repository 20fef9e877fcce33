import { pino } from 'pino'

/** Lines are written to the file descriptor in chunks of at most this many bytes... */
const CHUNK_BYTES = 16 * 1024
/** ...or this long after the first waiting line, so a quiet emulator's log still reads as live. */
const FLUSH_AFTER_MS = 50
/** The most bytes a string can take in UTF-8, per UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3

type ChunkStream = { write(chunk: Buffer): boolean }

const open = new Set<BatchedLogDestination>()
// A crash or process.exit() loses no waiting line.
process.on('exit', () => {
  for (const destination of open) destination.flushSync()
})

/**
 * The log's destination: pino's file-descriptor stream (sonic-boom), fed whole chunks. sonic-boom
 * measures, joins and encodes the text it is given on every write, so under load queueing a
 * request's line one by one cost more than formatting it (issue 8); here each line is encoded
 * once, straight into a chunk buffer, which goes over when full, 50 ms after its first line, when
 * the app closes and on exit.
 */
export class BatchedLogDestination {
  private chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES)
  private used = 0
  private timer: NodeJS.Timeout | undefined
  private out: ChunkStream | undefined
  private closed = false

  constructor(private readonly fd = 1) {
    open.add(this)
  }

  write(line: string): void {
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
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.used === 0) return
    const full = this.chunk.subarray(0, this.used)
    // A new buffer for the next lines: sonic-boom keeps this one if the descriptor is not ready.
    this.chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES)
    this.used = 0
    this.stream().write(full)
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
