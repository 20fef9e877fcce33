import type { AllowedHost } from '../config.ts'
import { interceptedHost } from './intercepted-hosts.ts'

/**
 * Which `Host` (and `Origin`) values the emulator answers to. A web page can make a browser send
 * anything to 127.0.0.1 by pointing its own name there (DNS rebinding): then `Host` and `Origin`
 * both name the attacker's site, and only a list of the names the emulator really is called by
 * tells the two apart. See SECURITY.md.
 */
export interface HostPolicy {
  /** `--host`, the address the listeners are bound to. */
  listenHost: string
  /** `--allowed-hosts`. */
  allowed: readonly AllowedHost[]
}

/** Where a request arrived: a listener's port (undefined for an injected request) or a proxy tunnel. */
export interface Arrival {
  localPort: number | undefined
  tls: boolean
  /** The Microsoft host a proxy tunnel was opened to. */
  proxiedHost: string | undefined
}

const LOOPBACK_NAMES = new Set(['localhost', '[::1]'])
const isLoopbackName = (host: string) => LOOPBACK_NAMES.has(host) || /^127(\.\d{1,3}){3}$/.test(host)

/** `name:port` split, lower case; undefined when it is not a plausible authority. */
export function splitAuthority(authority: string): { host: string; port: number | undefined } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]/@\s]+)(?::(\d{1,5}))?$/.exec(authority.toLowerCase())
  if (!match) return undefined
  return { host: match[1]!, port: match[2] === undefined ? undefined : Number(match[2]) }
}

const bracketed = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host)

/**
 * Whether `authority` (a Host header, or an Origin's host) is one the emulator answers to.
 * `anyLocalPort` lets loopback names and `--host` come with any port (an Origin: a page served by
 * another local server is no rebinding).
 */
export function isAllowedAuthority(
  authority: string,
  arrival: Arrival,
  policy: HostPolicy,
  anyLocalPort = false,
): boolean {
  const parsed = splitAuthority(authority)
  if (!parsed) return false
  const { host } = parsed
  if (arrival.proxiedHost !== undefined) {
    // Through the proxy only the Microsoft hosts it intercepts, on the HTTPS port.
    return interceptedHost(host) !== undefined && (parsed.port === undefined || parsed.port === 443)
  }
  const port = parsed.port ?? (arrival.tls ? 443 : 80)
  const ownPort = anyLocalPort || arrival.localPort === undefined || port === arrival.localPort
  if (isLoopbackName(host) || host === bracketed(policy.listenHost.toLowerCase())) return ownPort
  return policy.allowed.some(
    (entry) => entry.host === host && (entry.port === undefined || entry.port === port),
  )
}

/** The host of an `Origin` header, or undefined when it is `null` or not an origin. */
export function originAuthority(origin: string): { authority: string; tls: boolean } | undefined {
  try {
    const url = new URL(origin)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
    return { authority: url.host, tls: url.protocol === 'https:' }
  } catch {
    return undefined
  }
}

/** What is wrong with a request's Host or Origin, or undefined when both are allowed. */
export function hostProblem(
  headers: { host?: string | undefined; origin?: string | undefined },
  arrival: Arrival,
  policy: HostPolicy,
): { header: 'Host' | 'Origin'; value: string } | undefined {
  const host = headers.host ?? ''
  if (!isAllowedAuthority(host, arrival, policy)) return { header: 'Host', value: host }
  const origin = headers.origin
  if (origin === undefined) return undefined
  const parsed = originAuthority(origin)
  if (!parsed || !isAllowedAuthority(parsed.authority, { ...arrival, tls: parsed.tls }, policy, true)) {
    return { header: 'Origin', value: origin }
  }
  return undefined
}
