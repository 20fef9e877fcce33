import { Type, type TSchema } from 'typebox'

import { ErrorEnvelope } from './common.ts'

/**
 * The error bodies each surface answers with, for the route schemas (and so the OpenAPI
 * document). A schema here is also what Fastify serializes an object reply with: every field
 * sent is declared.
 */

/** The gateway's throttling answer (flow-admin-api.md §5.2), not the service envelope. */
export const RateLimited = Type.Object(
  { statusCode: Type.Literal(429), message: Type.String() },
  {
    additionalProperties: false,
    description:
      'Rate limit exceeded (the gateway answer, with Retry-After); also the `throttle` fault preset',
  },
)

/** The connector gateway's token-exchange failure (flow-admin-api.md §5.3). */
export const TokenExchangeError = Type.Object(
  { status: Type.Literal(403), source: Type.String(), message: Type.String() },
  { additionalProperties: false, description: "The connector gateway's token-exchange failure" },
)

/** Entra's error body (entra.md §1.4). */
export const EntraErrorBody = Type.Object(
  {
    error: Type.String({ description: 'The OAuth error: invalid_request, invalid_grant, ...' }),
    error_description: Type.String({
      description: 'AADSTSnnnn: the message, then trace and correlation ids',
    }),
    error_codes: Type.Array(Type.Integer()),
    timestamp: Type.String(),
    trace_id: Type.String(),
    correlation_id: Type.String(),
    error_uri: Type.String(),
  },
  { additionalProperties: false, description: "Entra ID's error body" },
)

/** Microsoft Graph's error envelope (https://learn.microsoft.com/graph/errors). */
export const GraphErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      innerError: Type.Object({}, { additionalProperties: true }),
    }),
  },
  { description: "Graph's error envelope" },
)

/** The `unavailable` fault preset's answer, in the service envelope, on any client surface. */
const Unavailable = { ...ErrorEnvelope, description: 'Service unavailable (the `unavailable` fault preset)' }

/** `schema` with a description of its own. */
export const described = <T extends TSchema>(schema: T, description: string): T => ({
  ...schema,
  description,
})

/** Either of several bodies. */
export const oneOfBodies = (description: string, ...schemas: TSchema[]) =>
  Type.Union(schemas, { description })

/**
 * What a fault preset may answer on any operation of a client surface: the gateway's 429, and a
 * 503 in the service envelope or, where the surface has its own (`own503`), in that one too.
 */
export function presetResponses(own503?: TSchema) {
  return {
    429: RateLimited,
    503: own503
      ? oneOfBodies(
          "Service unavailable: the surface's own answer, or the `unavailable` fault preset",
          own503,
          ErrorEnvelope,
        )
      : Unavailable,
  }
}
