import type { FastifyError, FastifyInstance } from 'fastify'

import { EntraError, entraErrors } from '../errors/index.ts'
import authorize, { authorizeErrorPage } from './authorize.ts'
import device from './device.ts'
import discovery from './discovery.ts'
import { sendEntraError } from './respond.ts'
import token from './token.ts'

/**
 * The emulated Microsoft Entra ID: discovery, keys, token, authorize and device endpoints, for
 * the tenants in the database. Its errors use Entra's shape, not the Flow API's.
 */
export default async function entraId(app: FastifyInstance): Promise<void> {
  const { clock, random } = app.emulator
  // OAuth requests are form-encoded (entra.md §0 item 4); duplicates keep the last value.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(
        null,
        Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))),
      )
    },
  )

  app.setErrorHandler((error: FastifyError, request, reply) => {
    let entra: EntraError | undefined
    if (error instanceof EntraError) entra = error
    else if (typeof error.code === 'string' && error.code.startsWith('SQLITE_')) {
      request.log.error({ err: error }, 'storage failure')
      entra = entraErrors.temporarilyUnavailable()
    } else if (
      error.validation ||
      (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
    ) {
      entra = entraErrors.malformedRequest(error.message)
    }
    if (!entra) throw error
    // Before the redirect URI is known to be good, the authorize endpoint shows a page, as Entra does.
    if (request.routeOptions.url?.endsWith('/authorize')) {
      void reply.code(entra.statusCode).type('text/html; charset=utf-8').send(authorizeErrorPage(entra))
      return
    }
    sendEntraError(request, reply, entra, { clock, random })
  })

  await app.register(discovery)
  await app.register(token)
  await app.register(authorize)
  await app.register(device)
}
