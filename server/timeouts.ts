import type { ServerOptions } from 'node:http'

import { DEFAULT_TIMEOUTS, type ConnectionTimeouts } from './config.ts'

/**
 * The timeouts every HTTP and HTTPS listener gets, so a slow or idle client cannot hold a
 * connection (and its file descriptor) for ever: headers (and the TLS handshake before them),
 * the whole request, and idle keep-alive. Node checks them on an interval; it is kept well under
 * the shortest timeout so a short one is kept to the second.
 */
export function listenerOptions(timeouts: ConnectionTimeouts = DEFAULT_TIMEOUTS) {
  const headersMs = timeouts.headersSeconds * 1000
  return {
    headersTimeout: headersMs,
    requestTimeout: timeouts.requestSeconds * 1000,
    keepAliveTimeout: timeouts.keepAliveSeconds * 1000,
    connectionsCheckingInterval: Math.min(30_000, Math.max(100, headersMs / 4)),
    // HTTPS only: a client that opens a TLS connection and sends no ClientHello.
    handshakeTimeout: headersMs,
  } satisfies ServerOptions & { handshakeTimeout: number }
}
