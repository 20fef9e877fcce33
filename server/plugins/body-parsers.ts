import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * JSON is the only body type of the Flow API. Clients send `POST .../stop` with no body, with
 * `{}`, and with an empty body under `Content-Type: application/json` (flow-admin-api.md §1.2,
 * §1.3): all three mean "no content". Anything else is a 415.
 */
async function bodyParsers(app: FastifyInstance) {
  const strictJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser(['application/json', 'text/plain'])
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    if (text.trim() === '') {
      done(null, undefined)
      return
    }
    void strictJson(request, text, done)
  })
}

export default fp(bodyParsers, { name: 'body-parsers', fastify: '5.x' })
