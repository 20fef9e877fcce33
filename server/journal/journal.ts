/**
 * The request journal: the last `size` API and token requests, newest first, with their bodies
 * (secrets redacted, each body cut at `bodyLimit` bytes). A fixed-size ring, so memory stays flat
 * whatever the load.
 */

export interface JournalEntry {
  id: string
  time: string
  method: string
  host: string
  path: string
  surface: 'flow' | 'connector' | 'entra' | 'graph' | 'other'
  operationId: string | null
  connection: string | null
  tenant: string | null
  principal: string | null
  status: number
  durationMs: number
  requestBody: string | null
  requestBodyTruncated: boolean
  responseBody: string | null
  responseBodyTruncated: boolean
}

export interface JournalFilter {
  operationId?: string | undefined
  status?: number | undefined
  tenant?: string | undefined
  connection?: string | undefined
  since?: Date | undefined
  limit?: number | undefined
}

/** Keys whose values never reach the journal (nor the logs). */
const SECRET_KEYS = new Set(
  [
    'client_secret',
    'password',
    'client_assertion',
    'assertion',
    'access_token',
    'refresh_token',
    'id_token',
    'code',
    'code_verifier',
    'device_code',
    'secrets',
    'pfxbase64',
    'privatekeypem',
    'admintoken',
    'authorization',
    'x-emulator-key',
  ].map((k) => k.toLowerCase()),
)
export const REDACTED = '[redacted]'

/** A quick look for any secret key in a serialized body: most bodies have none and skip the redaction walk. */
const MAY_HOLD_SECRETS = new RegExp(`(${[...SECRET_KEYS].join('|')})`, 'i')

/** A copy of `value` with every secret field replaced, at any depth. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 32) return REDACTED
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1))
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SECRET_KEYS.has(k.toLowerCase()) ? REDACTED : redact(v, depth + 1),
      ]),
    )
  }
  return value
}

/** A body as the journal keeps it: redacted JSON when it is JSON, then cut at `limit` bytes. */
export function journalBody(body: unknown, limit: number): { text: string | null; truncated: boolean } {
  if (body === undefined || body === null || body === '') return { text: null, truncated: false }
  let text: string
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    text = body.toString()
    if (MAY_HOLD_SECRETS.test(text)) {
      try {
        text = JSON.stringify(redact(JSON.parse(text)))
      } catch {
        // Not JSON (an HTML page, a form): kept as it is.
      }
    }
  } else {
    text = JSON.stringify(body) ?? ''
    if (MAY_HOLD_SECRETS.test(text)) text = JSON.stringify(redact(body)) ?? ''
  }
  const bytes = Buffer.byteLength(text)
  if (bytes <= limit) return { text, truncated: false }
  const cut = Buffer.from(text)
    .subarray(0, limit)
    .toString('utf8')
    .replace(/\uFFFD$/, '')
  return { text: `${cut}…[truncated ${bytes - limit} bytes]`, truncated: true }
}

export function createJournal(initial: { size: number; bodyLimit: number }) {
  let ring: (JournalEntry | undefined)[] = new Array<JournalEntry | undefined>(initial.size)
  let next = 0
  let count = 0
  const { bodyLimit } = initial
  return {
    bodyLimit,
    enabled: () => ring.length > 0,
    record(entry: JournalEntry): void {
      if (ring.length === 0) return
      ring[next] = entry
      next = (next + 1) % ring.length
      count = Math.min(count + 1, ring.length)
    },
    /** Newest first. */
    query(filter: JournalFilter = {}): JournalEntry[] {
      const result: JournalEntry[] = []
      const limit = filter.limit ?? Number.POSITIVE_INFINITY
      for (let i = 1; i <= count && result.length < limit; i++) {
        const entry = ring[(next - i + ring.length) % ring.length]!
        if (filter.operationId !== undefined && entry.operationId !== filter.operationId) continue
        if (filter.status !== undefined && entry.status !== filter.status) continue
        if (filter.tenant !== undefined && entry.tenant?.toLowerCase() !== filter.tenant.toLowerCase())
          continue
        if (filter.connection !== undefined && entry.connection !== filter.connection) continue
        if (filter.since !== undefined && new Date(entry.time) < filter.since) continue
        result.push(entry)
      }
      return result
    },
    size: () => count,
    clear(predicate?: (entry: JournalEntry) => boolean): void {
      if (!predicate) {
        ring = new Array<JournalEntry | undefined>(ring.length)
        next = 0
        count = 0
        return
      }
      const kept = this.query()
        .filter((e) => !predicate(e))
        .reverse()
      ring = new Array<JournalEntry | undefined>(ring.length)
      next = 0
      count = 0
      for (const e of kept) this.record(e)
    },
  }
}
export type Journal = ReturnType<typeof createJournal>
