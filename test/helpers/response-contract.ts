import { subscribe } from 'node:diagnostics_channel'

import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/**
 * The suite-wide contract check: every response an app built in a test process sends (through
 * `inject`, supertest or a real socket) is checked against the app's own OpenAPI document: its
 * status must be documented for the operation, its content type must be the documented one, and
 * its body must match the documented schema. A mismatch is kept and fails the test that caused it
 * (see contract-check.setup.ts), naming the operation and the status.
 *
 * Answers of fault rules are the test author's own and are not checked, except those of the
 * presets, which must conform. Routes the document hides (the dashboard, the documents
 * themselves) and requests no route matched are outside the document.
 */

interface MediaObject {
  schema?: object
}
interface ResponseObject {
  content?: Record<string, MediaObject>
}
interface OperationObject {
  operationId?: string
  responses?: Record<string, ResponseObject>
}
type Paths = Record<string, Record<string, OperationObject>>

interface Documented {
  operationId: string
  responses: Record<string, ResponseObject>
}

const violations: string[] = []

/** The mismatches seen since the last call, which empties the list. */
export function takeViolations(): string[] {
  return violations.splice(0)
}

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true })
addFormats.default(ajv)
const validators = new Map<string, ValidateFunction>()
let operations: Map<string, Documented> | undefined

/** `/a/:b/c` → `/a/{b}/c`, as @fastify/swagger writes a route's path. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')

/** The document's operations by `METHOD path`: every app of a run serves the same routes. */
function operationsOf(app: FastifyInstance): Map<string, Documented> {
  if (operations) return operations
  const paths = (app.swagger() as { paths?: Paths }).paths ?? {}
  operations = new Map()
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!operation.operationId || !operation.responses) continue
      operations.set(`${method.toUpperCase()} ${path}`, {
        operationId: operation.operationId,
        responses: operation.responses,
      })
    }
  }
  return operations
}

function validatorFor(key: string, schema: object): ValidateFunction {
  let validate = validators.get(key)
  if (!validate) {
    validate = ajv.compile(schema)
    validators.set(key, validate)
  }
  return validate
}

function bodyText(payload: unknown): string | undefined {
  if (payload === null || payload === undefined) return ''
  if (typeof payload === 'string') return payload
  if (Buffer.isBuffer(payload)) return payload.toString('utf8')
  return undefined // a stream: its status and content type are checked, not its body
}

function check(request: FastifyRequest, reply: FastifyReply, payload: unknown): void {
  const app = request.server
  const url = request.routeOptions.url
  if (url === undefined || typeof app.swagger !== 'function') return
  const fault = (request as { injectedFault?: { preset?: string } | null }).injectedFault
  if (fault && !fault.preset) return
  const method = request.method === 'HEAD' ? 'GET' : request.method
  const operation = operationsOf(app).get(`${method} ${openApiPath(url)}`)
  if (!operation) return
  const status = String(reply.statusCode)
  const name = `${operation.operationId} ${status} (${request.method} ${request.url})`
  const documented = operation.responses[status]
  if (!documented) {
    violations.push(`${name}: status ${status} is not documented for ${operation.operationId}`)
    return
  }
  const text = bodyText(payload)
  const contentType = String(reply.getHeader('content-type') ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase()
  const media = documented.content ?? {}
  if (Object.keys(media).length === 0) {
    if (text !== '' && text !== undefined)
      violations.push(`${name}: the document gives no body, the response has one (${contentType})`)
    return
  }
  const entry = media[contentType]
  if (!entry) {
    if (request.method === 'HEAD' || text === '') {
      violations.push(`${name}: the document gives a body (${Object.keys(media).join(', ')}), none was sent`)
    } else {
      violations.push(
        `${name}: content type '${contentType}' is not documented (${Object.keys(media).join(', ')})`,
      )
    }
    return
  }
  if (request.method === 'HEAD' || text === undefined || !entry.schema) return
  let body: unknown = text
  if (contentType.endsWith('json')) {
    try {
      body = JSON.parse(text)
    } catch {
      violations.push(`${name}: the body is not JSON: ${text.slice(0, 200)}`)
      return
    }
  }
  const validate = validatorFor(`${method} ${url} ${status} ${contentType}`, entry.schema)
  if (!validate(body)) {
    violations.push(
      `${name}: the body does not match the documented schema: ${ajv.errorsText(validate.errors)}; body ${text.slice(0, 300)}`,
    )
  }
}

let subscribed = false

/** Adds the check to every Fastify instance created in this process from now on. */
export function checkEveryResponse(): void {
  // Test files share a worker's modules (isolate: false) and each runs the setup file again:
  // one subscription per worker, or every app would check each response once per file run so far.
  if (subscribed) return
  subscribed = true
  subscribe('fastify.initialization', (message) => {
    const { fastify } = message as { fastify: FastifyInstance }
    fastify.addHook('onSend', (request, reply, payload, done) => {
      try {
        check(request, reply, payload)
      } catch (error) {
        violations.push(`contract check failed on ${request.method} ${request.url}: ${String(error)}`)
      }
      done(null, payload)
    })
  })
}
