/**
 * Redirect URIs as Entra registers and matches them.
 * @see https://learn.microsoft.com/entra/identity-platform/reply-url
 * A registered URI on `localhost` or `127.0.0.1` matches any port (RFC 8252 §7.3), with the same
 * scheme, path and query; any other must match exactly (scheme and host without regard to case,
 * the path with it). `[::1]` is not one of Entra's loopback names.
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1'])
const isLoopback = (url: URL) => LOOPBACK_HOSTS.has(url.hostname)

/** Why `uri` cannot be registered, or undefined when it can (the restrictions of the page above). */
export function redirectUriProblem(uri: string): string | undefined {
  if (uri.includes('*')) return `'${uri}': wildcard URIs are not supported`
  let url: URL
  try {
    url = new URL(uri)
  } catch {
    return `'${uri}' is not an absolute URI`
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url)))
    return `'${uri}' must use https (http only on localhost or 127.0.0.1)`
  if (uri.includes('#')) return `'${uri}' must not contain a fragment`
  if (url.username || url.password) return `'${uri}' must not contain a user name`
  return undefined
}

/** Whether `requested` matches the `registered` URI, by the rules above. */
export function matchesRegisteredUri(registered: string, requested: URL): boolean {
  const url = new URL(registered)
  if (!isLoopback(url)) return url.href === requested.href
  return (
    url.protocol === requested.protocol &&
    url.hostname === requested.hostname &&
    url.pathname === requested.pathname &&
    url.search === requested.search &&
    !requested.username &&
    !requested.password &&
    !requested.hash
  )
}
