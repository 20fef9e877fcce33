import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * Two validators. Query strings, path parameters and headers arrive as text, so they are coerced
 * (`$top=5` is a number). JSON bodies are not: `"roleName": 1` or `"put": {}` is a 400, as a strict
 * deserializer would answer. Neither removes unknown properties; each schema says whether they are
 * allowed. `allErrors` is off, so validation work is bounded whatever the input.
 */
function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({
    strict: false,
    allErrors: false,
    removeAdditional: false,
    useDefaults: true,
    ...options,
  })
  addFormats.default(ajv)
  return ajv
}

async function validation(app: FastifyInstance) {
  const textual = makeAjv({ coerceTypes: 'array' })
  const json = makeAjv({ coerceTypes: false })
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? json : textual).compile(schema as Record<string, unknown>),
  )
}

export default fp(validation, { name: 'validation', fastify: '5.x' })
