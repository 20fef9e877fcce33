import type { DestinationStream } from 'pino'

/**
 * `--log-format pretty`: each of pino's JSON lines becomes one line of text for a terminal, with
 * the same fields. A request's line is compact (method, path, status, ms, operation); its ids and
 * caller follow at debug and trace. Other lines are the message, then `key=value` pairs; an error's
 * stack follows on the next lines, since that is what a developer needs to read.
 */

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
}

/** The message of the one line per request (plugins/request-ids.ts). */
export const REQUEST_LINE_MESSAGE = 'request completed'

/** Fields every line has, shown in the line's head or not at all. */
const HEAD = new Set(['level', 'time', 'msg', 'pid', 'hostname'])
/** The request line's own fields, shown in its compact form. */
const REQUEST = new Set(['method', 'url', 'statusCode', 'durationMs', 'operation'])

interface PrettyOptions {
  /** Show a request line's ids and caller too (debug and trace). */
  verbose: boolean
}

/** pino's stream for the pretty format: formats each line and hands it to `out`. */
export function prettyLogStream(out: DestinationStream, options: PrettyOptions): DestinationStream {
  return { write: (line: string) => out.write(prettyLine(line, options)) }
}

/** One JSON log line as text, ending in a newline. */
export function prettyLine(json: string, { verbose }: PrettyOptions): string {
  const line = JSON.parse(json) as Record<string, unknown>
  const head = `${clockTime(line['time'])} ${LEVELS[line['level'] as number] ?? String(line['level'])}`
  if (line['msg'] === REQUEST_LINE_MESSAGE && typeof line['method'] === 'string') {
    const rest = verbose ? pairs(line, (key) => !HEAD.has(key) && !REQUEST.has(key)) : ''
    const words = [line['method'], line['url'], line['statusCode'], `${String(line['durationMs'])} ms`]
    if (line['operation'] !== undefined) words.push(line['operation'])
    return `${head} ${words.map(String).join(' ')}${rest}\n`
  }
  const { err } = line
  const message = typeof line['msg'] === 'string' ? line['msg'] : ''
  const text = `${head} ${message}${pairs(line, (key) => !HEAD.has(key) && key !== 'err')}`
  return `${text}${err === undefined ? '' : errorText(err)}\n`
}

/** ` key=value` for each field `show` picks; text as it is unless it holds a space or a quote. */
function pairs(line: Record<string, unknown>, show: (key: string) => boolean): string {
  let text = ''
  for (const [key, value] of Object.entries(line)) {
    if (!show(key) || value === undefined) continue
    const shown = typeof value === 'string' && !/[\s"]/.test(value) ? value : JSON.stringify(value)
    text += ` ${key}=${shown}`
  }
  return text
}

/** pino's serialized error: its stack on the following lines, or its message when it has none. */
function errorText(err: unknown): string {
  if (typeof err !== 'object' || err === null) return ` err=${JSON.stringify(err)}`
  const { stack, message } = err as { stack?: unknown; message?: unknown }
  return `\n    ${String(stack ?? message).replaceAll('\n', '\n    ')}`
}

/** `14:05:09.123`, local time, as a terminal reader reads a clock. */
function clockTime(time: unknown): string {
  const date = new Date(typeof time === 'number' ? time : Date.now())
  const two = (n: number) => String(n).padStart(2, '0')
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`
}
