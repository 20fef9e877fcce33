import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { TLSSocket } from 'node:tls'

import type { FastifyInstance } from 'fastify'

import { controlPlaneErrors, type ServiceError } from '../errors/index.ts'
import { endWithServiceError } from '../http/client-errors.ts'
import type { ConnectionTimeouts } from '../config.ts'
import { listenerOptions } from '../timeouts.ts'
import type { LocalCa } from '../tls/local-ca.ts'
import { interceptedHost } from '../hosts/intercepted-hosts.ts'
import { createLeafCertificates } from './leaf-certificates.ts'
import { markProxied, proxiedHost } from '../hosts/proxied-sockets.ts'

export interface RunningProxy {
  url: string
  close(): Promise<void>
  /** Ends every tunnel now. */
  forceClose(): void
}

const errorBody = (error: ServiceError) =>
  JSON.stringify({ error: { code: error.code, message: error.message } })

/**
 * An HTTP proxy that accepts CONNECT, like Microsoft's Dev Proxy: for the Microsoft
 * hosts the emulator emulates it terminates TLS with a certificate from the local CA and hands
 * each request to the emulator's app; everything else gets a 502 and a log line. Tunneled
 * requests never reach the control plane.
 */
export async function startProxy(
  app: FastifyInstance,
  options: { host: string; port: number; ca: LocalCa; timeouts: ConnectionTimeouts },
): Promise<RunningProxy> {
  const idleMs = options.timeouts.tunnelIdleSeconds * 1000
  const log = app.log.child({ component: 'proxy' })
  const certificates = createLeafCertificates(options.ca, () => app.clock.now())
  const sockets = new Set<Socket>()
  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    // A client that vanishes mid-tunnel is normal; it must never take the emulator down.
    socket.on('error', (error) => log.debug({ err: error }, 'proxy socket error'))
    // A tunnel (or a client that never sends its CONNECT) with no traffic either way is closed.
    socket.setTimeout(idleMs, () => {
      log.debug({ idleSeconds: options.timeouts.tunnelIdleSeconds }, 'proxy closed an idle connection')
      socket.destroy()
    })
  }

  const refuse = (res: ServerResponse, what: string, fields: Record<string, unknown>) => {
    log.warn(fields, `proxy refused ${what}`)
    const body = errorBody(controlPlaneErrors.proxyRefused(what))
    res.writeHead(502, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    })
    res.end(body)
  }

  // Requests inside a tunnel: never listens, it is handed the decrypted sockets.
  const tunneled = createServer(
    listenerOptions(options.timeouts),
    (req: IncomingMessage, res: ServerResponse) => {
      const host = proxiedHost(req.socket) ?? ''
      const path = (req.url ?? '/').split('?')[0] ?? '/'
      const target = interceptedHost(host)
      const method = req.method ?? 'GET'
      // Decided on the path as the router will read it (decoded), so `/%5Femulator` is `/_emulator`.
      const decoded = decodedPath(path)
      const known =
        decoded !== undefined && target?.serves(decoded) === true && routeExists(app, method, decoded)
      if (!known) return refuse(res, `${method} https://${host}${path}`, { host, method, path })
      app.routing(req, res)
    },
  )
  tunneled.on('clientError', (_error, socket) => socket.destroy())

  const proxy = createServer(listenerOptions(options.timeouts), (req, res) => {
    // A plain forward-proxy request (absolute URI): the emulator tunnels HTTPS only.
    refuse(
      res,
      `${req.method ?? 'GET'} ${req.url ?? ''} (only CONNECT tunnels to the emulated hosts are served)`,
      {
        url: req.url,
      },
    )
  })
  proxy.on('connection', track)
  proxy.on('clientError', (_error, socket) => socket.destroy())
  proxy.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    let hostname = ''
    let port = ''
    try {
      const authority = new URL(`http://${req.url ?? ''}`)
      hostname = authority.hostname.toLowerCase()
      port = authority.port
    } catch {
      // An unparsable authority is refused below like any unknown host.
    }
    const target = interceptedHost(hostname)
    if (!target || port !== '443') {
      const what = `CONNECT ${req.url ?? ''}`
      log.warn({ host: hostname, port }, `proxy refused ${what}`)
      endWithServiceError(socket, controlPlaneErrors.proxyRefused(`the host '${req.url ?? ''}'`))
      return
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
    if (head.length > 0) socket.unshift(head)
    certificates.contextFor(hostname).then(
      (secureContext) => {
        if (socket.destroyed) return
        const tls = new TLSSocket(socket, { isServer: true, secureContext, ALPNProtocols: ['http/1.1'] })
        tls.on('error', (error) => log.debug({ err: error, host: hostname }, 'proxy TLS error'))
        markProxied(tls, hostname)
        tunneled.emit('connection', tls)
      },
      (error: unknown) => {
        log.error({ err: error, host: hostname }, 'proxy could not issue a certificate')
        socket.destroy()
      },
    )
  })

  await new Promise<void>((resolve, reject) => {
    proxy.once('error', reject)
    proxy.listen(options.port, options.host, () => resolve())
  })
  const { port } = proxy.address() as AddressInfo
  const host = options.host.includes(':') ? `[${options.host}]` : options.host
  const destroyAll = () => {
    for (const socket of sockets) socket.destroy()
  }
  return {
    url: `http://${host}:${port}`,
    forceClose: destroyAll,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.close(() => resolve())
        destroyAll()
      }),
  }
}

/**
 * A request path decoded once, as the router decodes it; undefined for one that cannot be read
 * alike by every hop: undecodable, still encoded after one decoding, with dot segments, a
 * backslash or a control character. None of the emulated APIs has such a path.
 */
export function decodedPath(path: string): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(path)
  } catch {
    return undefined
  }
  // eslint-disable-next-line no-control-regex
  if (/[%\\?#\u0000-\u001f\u007f]/.test(decoded)) return undefined
  if (decoded.split('/').some((segment) => segment === '.' || segment === '..')) return undefined
  return decoded
}

/** Whether the app has a route for this method and path; a path the router cannot read has none. */
function routeExists(app: FastifyInstance, method: string, path: string): boolean {
  try {
    return app.findRoute({ method, url: path }) !== null
  } catch {
    return false
  }
}
