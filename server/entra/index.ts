import type { FastifyError, FastifyInstance } from 'fastify'

import { EntraError, entraErrors } from '../errors/index.ts'
import authorize, { authorizeErrorPage } from './authorize.ts'
import device from './device.ts'
import discovery from './discovery.ts'
import { sendEntraError } from './respond.ts'
import token from './token.ts'
import userRealm from './user-realm.ts'
import { markSurface } from '../http/surface.ts'

/** No script, no resource from anywhere, no framing; the page's own <style> only. */
export const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
}

/**
 * The emulated Microsoft Entra ID: discovery, keys, token, authorize and device endpoints, for
 * the tenants in the database. Its errors use Entra's shape, not the Flow API's.
 */
export default async function entraId(app: FastifyInstance): Promise<void> {
  markSurface(app, 'entra')
  const { clock, random } = app
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

  // The sign-in pages are never framed (clickjacking) and load nothing but their own inline style.
  app.addHook('onSend', (_request, reply, payload, done) => {
    const type = reply.getHeader('content-type')
    if (typeof type === 'string' && type.startsWith('text/html')) reply.headers(PAGE_HEADERS)
    done(null, payload)
  })

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
  await app.register(userRealm)
}
