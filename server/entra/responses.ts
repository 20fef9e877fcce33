import { Type } from 'typebox'

import { ErrorEnvelope, HOST_NOT_ALLOWED } from '../../schemas/common.ts'
import { EntraErrorBody, described, presetResponses, RateLimited } from '../../schemas/responses.ts'

/**
 * The error responses of Entra's JSON endpoints: a refused request (400), a client that failed
 * to authenticate (401), a Host or Origin not allowed (403), the emulator's storage failing (503 temporarily_unavailable), all in
 * Entra's shape, and what a fault preset answers.
 */
export function entraErrorResponses() {
  return {
    400: described(EntraErrorBody, 'A refused request (invalid_request, invalid_grant, invalid_scope, ...)'),
    401: described(EntraErrorBody, 'The client failed to authenticate (invalid_client)'),
    403: described(EntraErrorBody, HOST_NOT_ALLOWED),
    ...presetResponses(EntraErrorBody),
  }
}

/**
 * The error responses of Entra's pages (sign-in, device code): a page for a failure of the
 * emulator's storage, and what a fault preset answers, in JSON.
 */
export function pageErrorResponses() {
  return {
    403: described(EntraErrorBody, HOST_NOT_ALLOWED),
    429: RateLimited,
    503: {
      description: "The emulator's storage failed (a page), or the `unavailable` fault preset (JSON)",
      content: {
        'text/html': { schema: Type.String() },
        'application/json': { schema: ErrorEnvelope },
      },
    },
  }
}

/** An HTML page (the sign-in and device pages). */
export const htmlPage = (description: string) => ({
  description,
  content: { 'text/html': { schema: Type.String() } },
})

/** A redirect, with no body: the target is in `Location`. */
export const redirect = (description: string) => Type.Null({ description })
