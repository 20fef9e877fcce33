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

  readonly fatal: LogFn = (...args: Parameters<LogFn>) => this.#real.fatal(...args)
  readonly error: LogFn = (...args: Parameters<LogFn>) => this.#real.error(...args)
  readonly warn: LogFn = (...args: Parameters<LogFn>) => this.#real.warn(...args)
  readonly info: LogFn = (...args: Parameters<LogFn>) => this.#real.info(...args)
  readonly debug: LogFn = (...args: Parameters<LogFn>) => this.#real.debug(...args)
  readonly trace: LogFn = (...args: Parameters<LogFn>) => this.#real.trace(...args)
  readonly silent: LogFn = () => undefined
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real.child(bindings, options)
  }
}
