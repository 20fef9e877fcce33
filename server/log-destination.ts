import { pino } from 'pino'

/** What `pino.destination` answers: sonic-boom's stream. */
export type LogDestination = ReturnType<typeof pino.destination>

/** The process's log destination: standard output, written asynchronously. */
export function stdoutDestination(): LogDestination {
  // Asynchronous: lines written while a write is in flight go out together, and pino writes what
  // is left when the process exits.
  return pino.destination({ dest: 1, sync: false })
}

/**
 * Ends the destination before the process exits: what is buffered is written, then it closes.
 * Resolves on its `close`, on an error, or after `timeoutMs`, so a reader that has gone away never
 * holds the exit up. Without it, a line still in flight when `process.exit` runs meets pino's exit
 * flush, which in sonic-boom 4 retries a broken pipe (EPIPE) for ever: a SIGTERM then never ends
 * an emulator whose standard output was closed. Once the destination has seen the EPIPE, pino
 * stops writing to it, and its exit flush does nothing.
 */
export function endLogDestination(destination: LogDestination, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs)
    timer.unref()
    const done = () => {
      clearTimeout(timer)
      resolve()
    }
    destination.once('close', done)
    destination.once('error', done)
    destination.end()
  })
}
