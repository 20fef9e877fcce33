import { Type } from 'typebox'

import { ErrorEnvelope } from '../../schemas/common.ts'

export { TenantQuery } from '../../schemas/control.ts'

export const TAGS = ['Emulator']

const CONTROL_ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request (InvalidRequestContent)',
  403: 'Not a loopback client, no or a wrong x-emulator-key, or a call from another origin (ControlPlaneForbidden), or a Host or Origin not allowed (HostNotAllowed)',
  404: 'Not found',
  409: 'Conflict',
  413: 'Request body too large',
  415: 'Unsupported content type',
  503: 'Not ready',
}

/**
 * The control plane's own error responses, in the same envelope: those of every call (400, 403,
 * and 413 and 415 for a body it cannot take) and `statuses`. Typed by media type, as the routes
 * that answer a file or a stream would otherwise give their errors that media type.
 */
export const controlErrors = (...statuses: number[]) =>
  Object.fromEntries(
    [...new Set([400, 403, 413, 415, ...statuses])].map((status) => [
      status,
      {
        description: CONTROL_ERROR_DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/json': { schema: ErrorEnvelope } },
      },
    ]),
  )

/** Fixture and state documents may be larger than an API body; this bounds them still. */
export const DOCUMENT_BODY_LIMIT = 16 * 1024 * 1024

export const AnyObject = Type.Object({}, { additionalProperties: true })
