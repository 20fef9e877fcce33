import { Type } from 'typebox'

import { ErrorEnvelope, PathSegment } from '../../schemas/common.ts'
import { described, oneOfBodies, presetResponses, TokenExchangeError } from '../../schemas/responses.ts'
import type { Surface } from './surface.ts'

/** Path parameters shared by the flow routes (names as in the connector's swagger). */
const Environment = {
  ...PathSegment,
  description: "The environment's name (Default-<tenant id> or a GUID), or ~default",
}
const Flow = { ...PathSegment, description: "The flow's name (a GUID)" }
const UserId = { ...PathSegment, description: "The user's object id in Entra ID" }
export const EnvironmentParams = Type.Object({ environment: Environment })
export const FlowParams = Type.Object({ environment: Environment, flow: Flow })
export const UserParams = Type.Object({ userId: UserId })
export const EnvironmentUserParams = Type.Object({ environment: Environment, userId: UserId })

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request: invalid api-version or request content (InvalidRequestContent, MissingApiVersionParameter, ...)',
  401: 'Missing or invalid bearer token (AuthenticationFailed, ExpiredAuthenticationToken, ...)',
  403: 'Not an admin, or no access to the environment (AuthorizationFailed, EnvironmentAccessDenied), or a Host or Origin not allowed (HostNotAllowed)',
  404: 'Not found (FlowNotFound, MissingUserDetails)',
  413: 'Request body larger than 1 MiB',
  415: 'Unsupported content type',
  507: "The emulator's database disk is full (InsufficientStorage); nothing was changed",
}

/** The connector's 403: the backend's refusal, or the gateway's token-exchange failure (flow-admin-api.md §5.3). */
const CONNECTOR_FORBIDDEN = oneOfBodies(
  `${ERROR_DESCRIPTIONS[403]}; or the gateway's token-exchange failure {status, source, message}`,
  ErrorEnvelope,
  TokenExchangeError,
)

/**
 * The error responses a Flow admin route can give on `surface`: the service's envelope, the
 * gateway's 429, and the 503 of an outage (a read-only or busy database, or the fault preset).
 * `statuses` adds those of the route (404 for a resource, 507 for a write).
 */
export function errorResponses(surface: Pick<Surface, 'name'>, ...statuses: number[]) {
  return {
    ...Object.fromEntries(
      [400, 401, 403, 413, 415, ...statuses].map((status) => [
        status,
        status === 403 && surface.name === 'connector'
          ? CONNECTOR_FORBIDDEN
          : described(ErrorEnvelope, ERROR_DESCRIPTIONS[status] ?? 'Error'),
      ]),
    ),
    ...presetResponses(),
  }
}

/** A success with no body: no Content-Type and `Content-Length: 0`. */
export const noContent = (description: string) => Type.Null({ description })

export const TAGS = ['Flow admin API']
export const SECURITY = [{ bearer: [] }]
