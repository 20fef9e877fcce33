import type { JournalEntry } from '../../../schemas/control.ts'

/** The scheme a request came in on: the HTTPS listener's host, or plain HTTP. */
export type SchemeOf = (host: string) => 'http' | 'https'

const headerList = (headers: Record<string, string>) =>
  Object.entries(headers).map(([name, value]) => ({ name, value }))

const contentType = (headers: Record<string, string>) => headers['content-type'] ?? 'application/octet-stream'

export const urlOf = (entry: JournalEntry, schemeOf: SchemeOf) =>
  `${schemeOf(entry.host)}://${entry.host}${entry.path}`

/**
 * The journal as an HTTP Archive (HAR 1.2, what the browsers' developer tools import). Bodies are
 * the journal's: redacted and possibly cut, as its `comment` says.
 */
export function toHar(entries: JournalEntry[], schemeOf: SchemeOf, version: string): unknown {
  return {
    log: {
      version: '1.2',
      creator: { name: 'power-automate-admin-emulator', version },
      entries: [...entries].reverse().map((e) => {
        const url = new URL(urlOf(e, schemeOf))
        return {
          startedDateTime: e.time,
          time: e.durationMs,
          request: {
            method: e.method,
            url: url.href,
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: headerList(e.requestHeaders),
            queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
            ...(e.requestBody === null
              ? {}
              : { postData: { mimeType: contentType(e.requestHeaders), text: e.requestBody } }),
            headersSize: -1,
            bodySize: e.requestBody === null ? 0 : new TextEncoder().encode(e.requestBody).length,
          },
          response: {
            status: e.status,
            statusText: '',
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: headerList(e.responseHeaders),
            content: {
              size: e.responseBody === null ? 0 : new TextEncoder().encode(e.responseBody).length,
              mimeType: contentType(e.responseHeaders),
              ...(e.responseBody === null ? {} : { text: e.responseBody }),
            },
            redirectURL: e.responseHeaders['location'] ?? '',
            headersSize: -1,
            bodySize: -1,
          },
          cache: {},
          timings: { send: 0, wait: e.durationMs, receive: 0 },
          comment: `${e.operationId ?? e.surface}; secrets redacted${e.requestBodyTruncated || e.responseBodyTruncated ? '; a body was cut at the journal limit' : ''}`,
        }
      }),
    },
  }
}

/** Headers curl sets by itself, or that describe the old connection. */
const SKIPPED = new Set(['host', 'content-length', 'connection', 'accept-encoding', 'transfer-encoding'])

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`

/** The request as a curl command; a redacted Authorization becomes `$TOKEN`. */
export function toCurl(entry: JournalEntry, schemeOf: SchemeOf): string {
  const lines = [`curl -X ${entry.method} ${quote(urlOf(entry, schemeOf))}`]
  for (const [name, value] of Object.entries(entry.requestHeaders)) {
    if (SKIPPED.has(name)) continue
    if (name === 'authorization') lines.push(`-H "Authorization: Bearer $TOKEN"`)
    else lines.push(`-H ${quote(`${name}: ${value}`)}`)
  }
  if (entry.requestBody !== null) lines.push(`--data-raw ${quote(entry.requestBody)}`)
  return lines.join(' \\\n  ')
}
