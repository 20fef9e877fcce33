/**
 * The request journal: the last `size` API and token requests, newest first, with their bodies
 * (secrets redacted, each body cut at `bodyLimit` bytes). A fixed-size ring, so memory stays flat
 * whatever the load.
 */

import { normaliseId } from '../../schemas/common.ts'
import type { JournalEntry } from '../../schemas/control.ts'

export type { JournalEntry }

export interface JournalFilter {
  operationId?: string | undefined
  status?: number | undefined
  tenant?: string | undefined
  connection?: string | undefined
  since?: Date | undefined
  limit?: number | undefined
}

/**
 * Fields that are secrets wherever they are, spelt as clients and the emulator write them: their
 * values never reach the journal, nor the logs (whose redact paths in server/app.ts are made from
 * this list). `code` is not one of them: in a response it is an error's code, which the journal
 * must show.
 */
export const SECRET_FIELDS = [
  'client_secret',
  'password',
  'client_assertion',
  'assertion',
  'access_token',
  'refresh_token',
  'id_token',
  'code_verifier',
  'device_code',
  'secrets',
  'pfxBase64',
  'privateKeyPem',
  'adminToken',
]

/** The secret fields, and the credential headers, as the journal compares keys: in lower case. */
const SECRET_KEYS = new Set([...SECRET_FIELDS, 'authorization', 'x-emulator-key'].map((k) => k.toLowerCase()))
export const REDACTED = '[redacted]'

/** Where an authorization code is a secret: a field of a request body (Entra's token form) and a query parameter. */
const REQUEST_SECRET_KEYS = new Set([...SECRET_KEYS, 'code'])

/** A quick look for any secret key in a serialized body: most bodies have none and skip the redaction walk. */
const MAY_HOLD_SECRETS = new RegExp(`(${[...REQUEST_SECRET_KEYS].join('|')})`, 'i')

/** A URL as logs and the journal show it: the values of secret query parameters replaced (`?key=` of the dashboard, a `code`). */
export function redactUrl(url: string): string {
  const q = url.indexOf('?')
  if (q < 0) return url
  // Only the query is looked at: a path is mostly ids, and every request's log line comes here.
  const query = url.slice(q + 1)
  if (!MAY_HOLD_SECRETS.test(query) && !query.includes('key=')) return url
  const params = new URLSearchParams(query)
  let changed = false
  for (const name of [...params.keys()]) {
    const lower = name.toLowerCase()
    if (REQUEST_SECRET_KEYS.has(lower) || lower === 'key') {
      params.set(name, REDACTED)
      changed = true
    }
  }
  return changed ? `${url.slice(0, q)}?${params.toString()}` : url
}

/**
 * A copy of `value` with every secret field replaced: those of SECRET_KEYS at any depth, and in a
 * request body the top-level `code` too (an authorization code in Entra's token form).
 */
export function redact(value: unknown, where: 'request' | 'response' = 'response', depth = 0): unknown {
  if (depth > 32) return REDACTED
  if (Array.isArray(value)) return value.map((v) => redact(v, where, depth + 1))
  if (value && typeof value === 'object') {
    const keys = where === 'request' && depth === 0 ? REQUEST_SECRET_KEYS : SECRET_KEYS
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        keys.has(k.toLowerCase()) ? REDACTED : redact(v, where, depth + 1),
      ]),
    )
  }
  return value
}

/** Headers that carry credentials, beyond the secret keys a body may hold. */
const SECRET_HEADERS = new Set(['cookie', 'set-cookie', 'proxy-authorization', 'x-ms-client-secret'])

type RawHeaders = Record<string, string | number | string[] | undefined>

/** Headers as the journal keeps them: one string per name (repeated values joined), credentials redacted. */
export function journalHeaders(headers: RawHeaders): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    const lower = name.toLowerCase()
    result[lower] =
      SECRET_KEYS.has(lower) || SECRET_HEADERS.has(lower)
        ? REDACTED
        : Array.isArray(value)
          ? value.join(', ')
          : String(value)
  }
  return result
}

/** A body as the journal keeps it: redacted JSON when it is JSON, then cut at `limit` bytes. */
export function journalBody(
  body: unknown,
  limit: number,
  where: 'request' | 'response',
): { text: string | null; truncated: boolean } {
  if (body === undefined || body === null || body === '') return { text: null, truncated: false }
  let text: string
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    text = body.toString()
    // A key written with a \u escape is only spelt out once parsed.
    if (MAY_HOLD_SECRETS.test(text) || text.includes('\\u')) {
      try {
        const parsed: unknown = JSON.parse(text)
        const redacted = JSON.stringify(redact(parsed, where))
        // As sent, spacing and all, unless something was redacted.
        if (redacted !== JSON.stringify(parsed)) text = redacted
      } catch {
        // Not JSON (an HTML page, a form): kept as it is.
      }
    }
  } else {
    text = JSON.stringify(body) ?? ''
    if (MAY_HOLD_SECRETS.test(text)) text = JSON.stringify(redact(body, where)) ?? ''
  }
  const bytes = Buffer.byteLength(text)
  if (bytes <= limit) return { text, truncated: false }
  const cut = Buffer.from(text)
    .subarray(0, limit)
    .toString('utf8')
    .replace(/\uFFFD$/, '')
  return { text: `${cut}…[truncated ${bytes - limit} bytes]`, truncated: true }
}

/**
 * What a request leaves in the ring: cheap fields as they are, the request's headers as a redacted
 * copy (`journalHeaders`: the ring holds no credential), and the bodies and response headers still
 * raw, so the request path does no body redaction or date formatting. Only a text body within the
 * limit stays raw (its memory is its length); a parsed body, or a larger one, is formatted at once
 * and the raw value dropped, so the ring holds at most `bodyLimit` of any body.
 */
export interface RawJournalEntry extends Omit<
  JournalEntry,
  | 'time'
  | 'requestBody'
  | 'requestBodyTruncated'
  | 'responseBody'
  | 'responseBodyTruncated'
  | 'responseHeaders'
> {
  timeMs: number
  requestBody: unknown
  responseBody: unknown
  responseHeaders: RawHeaders
}

type Slot = { raw: RawJournalEntry; formatted?: JournalEntry }

/**
 * Whether a body may wait raw in the ring: no body, or text within the limit. A parsed object may
 * not, whatever its size on the wire: a form of many short fields takes far more memory parsed.
 */
function keptRaw(body: unknown, limit: number): boolean {
  if (body === undefined || body === null) return true
  if (typeof body === 'string') return body.length * 3 <= limit
  if (Buffer.isBuffer(body)) return body.length <= limit
  return false
}

export function createJournal(initial: { size: number; bodyLimit: number }) {
  let ring: (Slot | undefined)[] = new Array<Slot | undefined>(initial.size)
  let next = 0
  let count = 0
  const { bodyLimit } = initial
  const format = (slot: Slot): JournalEntry => {
    if (slot.formatted) return slot.formatted
    const { timeMs, requestBody, responseBody, requestHeaders, responseHeaders, ...rest } = slot.raw
    const request = journalBody(requestBody, bodyLimit, 'request')
    const response = journalBody(responseBody, bodyLimit, 'response')
    // Only the cut text is kept: the raw bodies (a parsed megabyte form) go to the collector.
    slot.raw.requestBody = undefined
    slot.raw.responseBody = undefined
    slot.formatted = {
      ...rest,
      // Redacted here, when read, not on the request path.
      path: redactUrl(rest.path),
      time: new Date(timeMs).toISOString(),
      requestBody: request.text,
      requestBodyTruncated: request.truncated,
      responseBody: response.text,
      responseBodyTruncated: response.truncated,
      requestHeaders,
      responseHeaders: journalHeaders(responseHeaders),
    }
    return slot.formatted
  }
  const slots = function* (): Generator<Slot> {
    for (let i = 1; i <= count; i++) yield ring[(next - i + ring.length) % ring.length]!
  }
  return {
    bodyLimit,
    enabled: () => ring.length > 0,
    /** Keeps the entry; returns how to format it (for the live event stream). */
    record(raw: RawJournalEntry): () => JournalEntry {
      const slot: Slot = { raw }
      if (ring.length === 0) return () => format(slot)
      if (!keptRaw(raw.responseBody, bodyLimit) || !keptRaw(raw.requestBody, bodyLimit)) format(slot)
      ring[next] = slot
      next = (next + 1) % ring.length
      count = Math.min(count + 1, ring.length)
      return () => format(slot)
    },
    /** Newest first. */
    query(filter: JournalFilter = {}): JournalEntry[] {
      const result: JournalEntry[] = []
      const limit = filter.limit ?? Number.POSITIVE_INFINITY
      const tenant = filter.tenant === undefined ? undefined : normaliseId(filter.tenant)
      const since = filter.since?.getTime()
      for (const slot of slots()) {
        if (result.length >= limit) break
        const entry = slot.raw
        if (filter.operationId !== undefined && entry.operationId !== filter.operationId) continue
        if (filter.status !== undefined && entry.status !== filter.status) continue
        if (tenant !== undefined && entry.tenant !== tenant) continue
        if (filter.connection !== undefined && entry.connection !== filter.connection) continue
        if (since !== undefined && entry.timeMs < since) continue
        result.push(format(slot))
      }
      return result
    },
    size: () => count,
    clear(predicate?: (entry: RawJournalEntry) => boolean): void {
      const kept = predicate ? [...slots()].filter((s) => !predicate(s.raw)).reverse() : []
      ring = new Array<Slot | undefined>(ring.length)
      next = 0
      count = 0
      for (const slot of kept) {
        ring[next] = slot
        next = (next + 1) % ring.length
        count++
      }
    },
  }
}
export type Journal = ReturnType<typeof createJournal>
