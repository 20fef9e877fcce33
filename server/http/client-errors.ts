import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'

import { errors, type ServiceError } from '../errors/index.ts'

/**
 * Answers on a bare socket, where no HTTP response object exists (a request Node's parser
 * refused, a CONNECT the proxy refuses): the error in the service's envelope, then the
 * connection closes.
 */
export function endWithServiceError(socket: Duplex, error: ServiceError): void {
  const body = JSON.stringify({ error: { code: error.code, message: error.message } })
  socket.end(
    `HTTP/1.1 ${error.statusCode} ${STATUS_CODES[error.statusCode] ?? ''}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  )
  // end() only closes our side: a client that never closes its own would keep the socket open.
  const timer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS)
  timer.unref()
  socket.once('close', () => clearTimeout(timer))
}

/** How long a client has to read an error answer before its connection is destroyed. */
const CLOSE_GRACE_MS = 1000

/**
 * What Node's HTTP parser refuses (headers over 16 KiB, malformed requests) never reaches Fastify:
 * it is answered here. Used by the HTTP listener (Fastify's clientErrorHandler) and the HTTPS one
 * (its clientError event).
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const code = error.code ?? ''
  // Only what the HTTP parser refused has an HTTP answer. A TLS failure (a handshake that failed or
  // timed out) has no HTTP connection to answer on: an answer would be written into a socket that
  // can never send it, and the socket would stay open for good.
  const http = code.startsWith('HPE_') || code === 'ERR_HTTP_REQUEST_TIMEOUT'
  if (!http || !socket.writable) {
    socket.destroy()
    return
  }
  endWithServiceError(
    socket,
    code === 'HPE_HEADER_OVERFLOW'
      ? errors.headersTooLarge()
      : code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? errors.requestTimeout()
        : errors.invalidRequestContent('The request is not valid HTTP.'),
  )
}
