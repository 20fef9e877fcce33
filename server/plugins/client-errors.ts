import type { Socket } from 'node:net'

import { errors } from '../errors.ts'

/**
 * What Node's HTTP parser refuses (headers over 16 KiB, malformed requests) never reaches Fastify:
 * it is answered here, in the service's envelope, and the connection is closed. Used by the HTTP
 * listener (Fastify's clientErrorHandler) and the HTTPS one (its clientError event).
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy()
    return
  }
  const known =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? errors.headersTooLarge()
      : errors.invalidRequestContent('The request is not valid HTTP.')
  const reason = known.statusCode === 431 ? 'Request Header Fields Too Large' : 'Bad Request'
  const body = JSON.stringify({ error: { code: known.code, message: known.message } })
  socket.end(
    `HTTP/1.1 ${known.statusCode} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  )
}
