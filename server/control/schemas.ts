import { Type } from 'typebox'

import { ErrorEnvelope } from '../../schemas/common.ts'

export { TenantQuery } from '../../schemas/control.ts'

export const TAGS = ['Emulator']

/** The control plane's own error responses, in the same envelope. */
export const controlErrors = (...statuses: number[]) =>
  Object.fromEntries([400, 403, ...statuses].map((s) => [s, { ...ErrorEnvelope, description: 'Error' }]))

/** Fixture and state documents may be larger than an API body; this bounds them still. */
export const DOCUMENT_BODY_LIMIT = 16 * 1024 * 1024

export const AnyObject = Type.Object({}, { additionalProperties: true })
