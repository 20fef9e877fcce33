import { Type } from 'typebox'

import { ErrorEnvelope, PathSegment } from '../../schemas/common.ts'

/** Path parameters shared by the flow routes (names as in the connector's swagger). */
export const EnvironmentParams = Type.Object({ environment: PathSegment })
export const FlowParams = Type.Object({ environment: PathSegment, flow: PathSegment })
export const UserParams = Type.Object({ userId: PathSegment })
export const EnvironmentUserParams = Type.Object({ environment: PathSegment, userId: PathSegment })

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request: invalid api-version or request content (InvalidRequestContent, MissingApiVersionParameter, ...)',
  401: 'Missing or invalid bearer token (AuthenticationFailed, ExpiredAuthenticationToken, ...)',
  403: 'Not an admin, or no access to the environment (AuthorizationFailed, EnvironmentAccessDenied); on the connector surface also the token exchange failure {status, source, message}',
  404: 'Not found (FlowNotFound, MissingUserDetails)',
  413: 'Request body larger than 1 MiB',
  415: 'Unsupported content type',
}

/** The gateway's throttling answer (flow-admin-api.md §5.2), not the service envelope. */
const RateLimited = Type.Object(
  { statusCode: Type.Literal(429), message: Type.String() },
  {
    description: 'Rate limit is exceeded (100 calls per connection per 60 s); Retry-After says when to retry',
  },
)

/** The error responses every Flow admin route can give, in the service's envelope, and the throttle's 429. */
export function errorResponses(...statuses: number[]) {
  return {
    ...Object.fromEntries(
      [400, 401, 403, 413, 415, ...statuses].map((status) => [
        status,
        { ...ErrorEnvelope, description: ERROR_DESCRIPTIONS[status] ?? 'Error' },
      ]),
    ),
    429: RateLimited,
  }
}

/** A success with no body: no Content-Type and `Content-Length: 0`. */
export const noContent = (description: string) => Type.Null({ description })

export const TAGS = ['Flow admin API']
export const SECURITY = [{ bearer: [] }]

/** Ends a request with an empty success: no serialization, so no Content-Type and `Content-Length: 0`. */
export function sendEmpty(
  reply: { code(status: number): { send(payload?: unknown): unknown } },
  status = 200,
): unknown {
  return reply.code(status).send()
}

type Serialized = string | ArrayBuffer | Buffer
interface SerializingReply {
  serialize(payload: unknown): Serialized
  type(contentType: string): unknown
}

/**
 * A route's 200 body, built and serialized once for each value it comes from. The read cache hands
 * out the same frozen rows until their table is written, so an unchanged answer is sent as the text
 * it was the first time, without serializing it again. One per route: the
 * surfaces may serialize the same rows differently.
 */
export function serializedOnce() {
  const bodies = new WeakMap<object, Serialized>()
  return (reply: SerializingReply, source: object, body: () => unknown): void => {
    let text = bodies.get(source)
    if (text === undefined) {
      text = reply.serialize(body())
      // A value built for this request only (not frozen) could change: it is never remembered.
      if (Object.isFrozen(source)) bodies.set(source, text)
    }
    // Typed replies take the schema's body type; this is that body, already serialized.
    const typed = reply.type('application/json; charset=utf-8') as { send(payload: Serialized): unknown }
    typed.send(text)
  }
}
