import { Ajv, type Options, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import fastJsonStringify from 'fast-json-stringify'

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

type LazyValidator = ((data: unknown) => boolean) & { errors: (ValidateFunction['errors'] & {}) | null }

/**
 * Validators and serializers are compiled on a route's first call, not at start-up: compiling
 * every route's schemas is a large part of a cold start, and a test or a demo calls
 * a handful of routes. A schema is compiled once either way.
 */
async function validation(app: FastifyInstance) {
  const textual = makeAjv({ coerceTypes: 'array' })
  const json = makeAjv({ coerceTypes: false })
  app.setValidatorCompiler(({ schema, httpPart }) => {
    let validate: ValidateFunction | undefined
    const lazy: LazyValidator = Object.assign(
      (data: unknown) => {
        validate ??= (httpPart === 'body' ? json : textual).compile(schema as Record<string, unknown>)
        const valid = validate(data)
        lazy.errors = validate.errors ?? null
        return valid
      },
      { errors: null },
    )
    return lazy
  })
  app.setSerializerCompiler(({ schema }) => {
    let serialize: ((data: unknown) => string) | undefined
    return (data: unknown): string => {
      serialize ??= fastJsonStringify(schema as Record<string, unknown>) as (data: unknown) => string
      return serialize(data)
    }
  })
}

export default fp(validation, { name: 'validation', fastify: '5.x' })
