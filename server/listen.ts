import { readFileSync } from 'node:fs'
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import type { AddressInfo, Server, Socket } from 'node:net'
import { join } from 'node:path'

import type { FastifyInstance } from 'fastify'

import { DEFAULT_TIMEOUTS, type ConnectionTimeouts } from './config.ts'

import { answerClientError } from './http/client-errors.ts'
import { startProxy } from './proxy/proxy-server.ts'
import { listenFailure, messageOf, StartupError } from './startup-error.ts'
import { listenerOptions } from './timeouts.ts'
import { loadCaFromFiles, loadOrCreateCa, loadOrCreateLocalhostCertificate } from './tls/local-ca.ts'

export interface ListenOptions {
  host: string
  port: number
  httpsPort: number | 'off'
  /** Where the local CA lives (`<data-dir>/ca`). */
  dataDir: string
  /** PEM files for HTTPS; without them the local CA issues a certificate for localhost. */
  tlsCert?: string | undefined
  tlsKey?: string | undefined
  /** A CA to use instead of the generated one (`--ca-cert`/`--ca-key`): both or neither. */
  caCert?: string | undefined
  caKey?: string | undefined
  /** The HTTPS-intercepting proxy's port (`--proxy-port`); undefined leaves it off. */
  proxyPort?: number | undefined
  /** Slow and idle connections are closed after these (default: DEFAULT_TIMEOUTS). */
  timeouts?: ConnectionTimeouts | undefined
}

/** The proxy needs a CA, and so does HTTPS unless `--tls-cert` gives its certificate. */
export function needsCa(options: Pick<ListenOptions, 'proxyPort' | 'httpsPort' | 'tlsCert'>): boolean {
  return options.proxyPort !== undefined || (options.httpsPort !== 'off' && !options.tlsCert)
}

export interface Listening {
  httpUrl: string
  httpsUrl: string | undefined
  /** The local CA certificate clients trust (NODE_EXTRA_CA_CERTS); undefined with --tls-cert or HTTPS off. */
  caCertificatePath: string | undefined
  /** The proxy's URL for HTTPS_PROXY, when it runs. */
  proxyUrl: string | undefined
  /** Stops every listener and closes the app (database included), after the requests in flight. */
  close(): Promise<void>
  /** Ends every open connection now, in flight or not: for a shutdown that waited long enough. */
  forceClose(): void
}

const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host)

/**
 * Every socket a listener accepted, so a forced shutdown can end them all: `closeAllConnections`
 * knows HTTP connections only, not a TLS socket still in its handshake.
 */
function trackSockets(server: Server): () => void {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  return () => {
    for (const socket of sockets) socket.destroy()
  }
}

/**
 * Serves the app on HTTP and, beside it, on HTTPS (MSAL refuses an http:// authority, entra.md
 * §0 item 1). Both listeners run the same request handler, so they are one emulator.
 */
export async function listen(app: FastifyInstance, options: ListenOptions): Promise<Listening> {
  const destroyHttpSockets = trackSockets(app.server)
  const closers: (() => Promise<void>)[] = []
  const forcers: (() => void)[] = [() => app.server.closeAllConnections(), destroyHttpSockets]
  const idleClosers: (() => void)[] = [() => app.server.closeIdleConnections()]
  const close = async () => {
    // A keep-alive connection whose request finishes during the shutdown turns idle later than
    // close() looked: close idle connections until every listener has stopped, so shutdown does
    // not wait out the keep-alive timeout.
    const sweep = setInterval(() => {
      for (const closeIdle of idleClosers) closeIdle()
    }, 25)
    sweep.unref()
    try {
      for (const closer of closers.reverse()) await closer()
      await app.close()
    } finally {
      clearInterval(sweep)
    }
  }
  // A listener that fails to bind closes the app and the listeners already open: nothing is left
  // holding the database or a port.
  try {
    try {
      await app.listen({ host: options.host, port: options.port })
    } catch (error) {
      throw listenFailure(error, '--port', options.port, options.host)
    }
    const httpUrl = `http://${urlHost(options.host)}:${(app.server.address() as AddressInfo).port}`
    const now = app.clock.now()
    // The one CA users trust: it issues the HTTPS listener's certificate and the proxy's.
    const ca = needsCa(options)
      ? options.caCert && options.caKey
        ? loadCaFromFiles(options.caCert, options.caKey, now)
        : inCaFolder(options.dataDir, () => loadOrCreateCa(options.dataDir, now))
      : undefined

    let httpsUrl: string | undefined
    const httpsPort = options.httpsPort
    if (httpsPort !== 'off') {
      let tls: { cert: string; key: string }
      if (options.tlsCert && options.tlsKey) {
        tls = { cert: readFileSync(options.tlsCert, 'utf8'), key: readFileSync(options.tlsKey, 'utf8') }
      } else {
        const leaf = inCaFolder(options.dataDir, () =>
          loadOrCreateLocalhostCertificate(options.dataDir, ca!, now),
        )
        tls = { cert: `${leaf.certificatePem}${ca!.certificatePem}`, key: leaf.privateKeyPem }
      }
      const https: HttpsServer = createHttpsServer(
        { ...tls, ...listenerOptions(options.timeouts) },
        (req, res) => app.routing(req, res),
      )
      https.on('clientError', answerClientError)
      forcers.push(trackSockets(https))
      await new Promise<void>((resolve, reject) => {
        https.once('error', (error) => reject(listenFailure(error, '--https-port', httpsPort, options.host)))
        https.listen(httpsPort, options.host, () => resolve())
      })
      closers.push(
        () =>
          new Promise<void>((resolve) => {
            https.close(() => resolve())
            https.closeIdleConnections()
          }),
      )
      forcers.push(() => https.closeAllConnections())
      idleClosers.push(() => https.closeIdleConnections())
      httpsUrl = `https://${urlHost(options.host)}:${(https.address() as AddressInfo).port}`
    }

    let proxyUrl: string | undefined
    if (options.proxyPort !== undefined) {
      const proxyPort = options.proxyPort
      const proxy = await startProxy(app, {
        host: options.host,
        port: proxyPort,
        ca: ca!,
        timeouts: options.timeouts ?? DEFAULT_TIMEOUTS,
      }).catch((error: unknown) => {
        throw listenFailure(error, '--proxy-port', proxyPort, options.host)
      })
      closers.push(() => proxy.close())
      forcers.push(() => proxy.forceClose())
      proxyUrl = proxy.url
    }
    app.endpoints.publish({
      httpUrl,
      ...(httpsUrl && { httpsUrl }),
      ...(ca && { caCertificatePath: ca.certificatePath }),
      ...(proxyUrl && { proxyUrl }),
    })
    return {
      httpUrl,
      httpsUrl,
      caCertificatePath: options.tlsCert && options.proxyPort === undefined ? undefined : ca?.certificatePath,
      proxyUrl,
      close,
      forceClose: () => {
        for (const force of forcers) force()
      },
    }
  } catch (error) {
    await close()
    throw error
  }
}

/**
 * Reads or writes `<data-dir>/ca`. A folder it cannot create or a certificate it cannot read
 * (damaged, half-copied) stops the start with the path, rather than a stack from OpenSSL.
 */
function inCaFolder<T>(dataDir: string, use: () => T): T {
  try {
    return use()
  } catch (error) {
    throw new StartupError(
      `cannot read or create the local CA in '${join(dataDir, 'ca')}' (${messageOf(error)}); remove that folder to have a new CA generated, or pass --ca-cert and --ca-key`,
      { cause: error },
    )
  }
}
