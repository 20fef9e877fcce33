import type { FastifyBaseLogger } from 'fastify'
import type { Bindings, ChildLoggerOptions, LogFn } from 'pino'

/**
 * A request's logger that becomes a real pino child only when something logs through it. Making a
 * child serializes its bindings, on every request; almost no request logs through its own logger
 * (the one line per request is written with the root logger and explicit ids), so most never pay.
 */
export class LazyChildLogger {
  #child: FastifyBaseLogger | undefined
  readonly #parent: FastifyBaseLogger
  readonly #bindings: () => Bindings
  readonly #options: ChildLoggerOptions

  constructor(parent: FastifyBaseLogger, bindings: () => Bindings, options: ChildLoggerOptions) {
    this.#parent = parent
    this.#bindings = bindings
    this.#options = options
  }

  get #real(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings(), this.#options)
    return this.#child
  }

  get level(): string {
    return this.#child?.level ?? this.#parent.level
  }
  set level(level: string) {
    this.#real.level = level
  }

  // Prototype methods, not per-instance closures: nothing is allocated for a request that never logs.
  fatal(...args: Parameters<LogFn>): void {
    this.#real.fatal(...args)
  }
  error(...args: Parameters<LogFn>): void {
    this.#real.error(...args)
  }
  warn(...args: Parameters<LogFn>): void {
    this.#real.warn(...args)
  }
  info(...args: Parameters<LogFn>): void {
    this.#real.info(...args)
  }
  debug(...args: Parameters<LogFn>): void {
    this.#real.debug(...args)
  }
  trace(...args: Parameters<LogFn>): void {
    this.#real.trace(...args)
  }
  silent(): void {}
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real.child(bindings, options)
  }
}
