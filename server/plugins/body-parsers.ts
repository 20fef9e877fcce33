import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

import { errors } from '../errors/index.ts'

const NOT_BLANK = /\S/

declare module 'fastify' {
  interface FastifyRequest {
    /** A JSON body as the client sent it: the journal keeps this text, not the parsed value. */
    jsonText: string | undefined
  }
}

/**
 * JSON is the only body type of the Flow API. Clients send `POST .../stop` with no body, with
 * `{}`, and with an empty body under `Content-Type: application/json` (flow-admin-api.md §1.2,
 * §1.3): all three mean "no content". Any other type with a body is a 415.
 */
async function bodyParsers(app: FastifyInstance) {
  const strictJson = app.getDefaultJsonParser('error', 'error')
  app.decorateRequest('jsonText', undefined)
  app.removeContentTypeParser(['application/json', 'text/plain'])
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    if (!NOT_BLANK.test(text)) {
      done(null, undefined)
      return
    }
    void strictJson(request, text, (error, value) => {
      // Only a body that parsed: the journal redacts a secret in JSON it can read, and a
      // malformed body's text could carry one it cannot.
      if (!error) request.jsonText = text
      done(error, value)
    })
  })
  // Any other type is a 415, unless the body is empty: axios (the CLI for Microsoft 365) labels an
  // empty POST `application/x-www-form-urlencoded`, and the real service takes it as no content.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    if (body.length === 0) {
      done(null, undefined)
      return
    }
    done(errors.unsupportedMediaType(request.headers['content-type'] ?? ''), undefined)
  })
}

export default fp(bodyParsers, { name: 'body-parsers', fastify: '5.x' })
