import { createHash, timingSafeEqual } from 'node:crypto'

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

import { controlPlaneErrors } from '../errors/index.ts'
import { proxiedHost } from '../hosts/proxied-sockets.ts'
import { isLoopbackAddress } from './loopback.ts'

const digest = (value: string) => createHash('sha256').update(value).digest()

/** The cookie the dashboard page sets, so a browser (which cannot add headers to an EventSource) can send the key. */
export const CONTROL_KEY_COOKIE = 'paae_control_key'
const DASHBOARD_PATH = '/_emulator/ui'

function cookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim())
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

/** The key as the dashboard's first visit sends it: `/_emulator/ui?key=...`. */
function dashboardKey(request: FastifyRequest): string | undefined {
  if (request.url.split('?')[0] !== DASHBOARD_PATH) return undefined
  const key = new URLSearchParams(request.url.split('?')[1] ?? '').get('key')
  return key ?? undefined
}

/**
 * A browser page of another origin must never drive the control plane (a reset from any web
 * site the user opens). Browsers send `Origin` on cross-origin calls, and on same-origin calls
 * other than GET; a control call whose Origin is not the emulator's own is refused. A page that
 * points its own name at the emulator (DNS rebinding) is stopped before, by the Host check
 * (plugins/allowed-hosts.ts).
 */
function refuseOtherOrigins(request: FastifyRequest): void {
  // A browser marks a request another site's page made, GETs included, which carry no Origin.
  if (request.headers['sec-fetch-site'] === 'cross-site') throw controlPlaneErrors.crossSiteControlCall()
  const origin = request.headers.origin
  if (origin === undefined) return
  let host: string
  try {
    host = new URL(origin).host
  } catch {
    throw controlPlaneErrors.crossOriginControlCall(origin)
  }
  if (host.toLowerCase() !== request.host.toLowerCase())
    throw controlPlaneErrors.crossOriginControlCall(origin)
}

/**
 * onRequest hook of the control plane: loopback clients only, unless `--control-key` is set;
 * then every call must send it in `x-emulator-key` (or the dashboard's cookie), compared in
 * constant time (on digests, so not even the key's length leaks).
 */
export async function requireControlAccess(
  this: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  refuseOtherOrigins(request)
  // Whatever its path, a request through the HTTPS proxy is a client's call to a Microsoft host.
  if (proxiedHost(request.raw.socket) !== undefined) throw controlPlaneErrors.controlPlaneForbidden()
  const key = this.settings.controlKey
  if (key === undefined) {
    if (!isLoopbackAddress(request.socket.remoteAddress)) {
      throw controlPlaneErrors.controlPlaneForbidden()
    }
    return undefined
  }
  const header = request.headers['x-emulator-key']
  const fromPage = dashboardKey(request)
  const sent = typeof header === 'string' ? header : (fromPage ?? cookie(request, CONTROL_KEY_COOKIE))
  if (sent === undefined || !timingSafeEqual(digest(sent), digest(key))) {
    throw controlPlaneErrors.controlKeyRequired()
  }
  if (fromPage !== undefined) {
    // The key leaves the address bar at once; from now on the browser sends the cookie.
    return reply
      .header(
        'set-cookie',
        `${CONTROL_KEY_COOKIE}=${encodeURIComponent(fromPage)}; Path=/_emulator; HttpOnly; SameSite=Strict`,
      )
      .redirect(DASHBOARD_PATH, 303)
  }
  return undefined
}
