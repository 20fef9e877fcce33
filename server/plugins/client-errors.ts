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
}

/**
 * What Node's HTTP parser refuses (headers over 16 KiB, malformed requests) never reaches Fastify:
 * it is answered here. Used by the HTTP listener (Fastify's clientErrorHandler) and the HTTPS one
 * (its clientError event).
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy()
    return
  }
  endWithServiceError(
    socket,
    error.code === 'HPE_HEADER_OVERFLOW'
      ? errors.headersTooLarge()
      : errors.invalidRequestContent('The request is not valid HTTP.'),
  )
}
