import { readFileSync } from 'node:fs'
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'

import type { FastifyInstance } from 'fastify'

import { loadOrCreateCa, loadOrCreateLocalhostCertificate } from './tls/local-ca.ts'

export interface ListenOptions {
  host: string
  port: number
  httpsPort: number | 'off'
  /** Where the local CA lives (`<data-dir>/ca`). */
  dataDir: string
  /** PEM files for HTTPS; without them the local CA issues a certificate for localhost. */
  tlsCert?: string | undefined
  tlsKey?: string | undefined
}

export interface Listening {
  httpUrl: string
  httpsUrl: string | undefined
  /** The local CA certificate clients trust (NODE_EXTRA_CA_CERTS); undefined with --tls-cert or HTTPS off. */
  caCertificatePath: string | undefined
  /** Stops both listeners and closes the app (database included). */
  close(): Promise<void>
}

const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host)

/**
 * Serves the app on HTTP and, beside it, on HTTPS (MSAL refuses an http:// authority, entra.md
 * §0 item 1). Both listeners run the same request handler, so they are one emulator.
 */
export async function listen(app: FastifyInstance, options: ListenOptions): Promise<Listening> {
  await app.listen({ host: options.host, port: options.port })
  const httpPort = (app.server.address() as AddressInfo).port
  const httpUrl = `http://${urlHost(options.host)}:${httpPort}`
  const endpoints = app.emulator.endpoints
  endpoints.httpUrl = httpUrl
  const requestedHttpsPort = options.httpsPort
  if (requestedHttpsPort === 'off') {
    return { httpUrl, httpsUrl: undefined, caCertificatePath: undefined, close: () => app.close() }
  }

  let tls: { cert: string; key: string }
  let caCertificatePath: string | undefined
  if (options.tlsCert && options.tlsKey) {
    tls = { cert: readFileSync(options.tlsCert, 'utf8'), key: readFileSync(options.tlsKey, 'utf8') }
  } else {
    const now = app.emulator.clock.now()
    const ca = loadOrCreateCa(options.dataDir, now)
    const leaf = loadOrCreateLocalhostCertificate(options.dataDir, ca, now)
    tls = { cert: `${leaf.certificatePem}${ca.certificatePem}`, key: leaf.privateKeyPem }
    caCertificatePath = ca.certificatePath
  }
  const https: HttpsServer = createHttpsServer(tls, app.emulator.requestHandler)
  try {
    await new Promise<void>((resolve, reject) => {
      https.once('error', reject)
      https.listen(requestedHttpsPort, options.host, () => resolve())
    })
  } catch (error) {
    await app.close()
    throw error
  }
  const httpsPort = (https.address() as AddressInfo).port
  endpoints.httpsUrl = `https://${urlHost(options.host)}:${httpsPort}`
  if (caCertificatePath) endpoints.caCertificatePath = caCertificatePath
  return {
    httpUrl,
    httpsUrl: endpoints.httpsUrl,
    caCertificatePath,
    close: async () => {
      await new Promise<void>((resolve) => {
        https.close(() => resolve())
        https.closeIdleConnections()
      })
      await app.close()
    },
  }
}
