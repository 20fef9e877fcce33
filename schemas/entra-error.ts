import { Type } from 'typebox'

/** Entra's error body (entra.md §1.4), as every Entra endpoint of the emulator answers errors. */
export const EntraErrorBody = Type.Object(
  {
    error: Type.String(),
    error_description: Type.String(),
    error_codes: Type.Array(Type.Integer()),
    timestamp: Type.String(),
    trace_id: Type.String(),
    correlation_id: Type.String(),
    error_uri: Type.String(),
  },
  {
    additionalProperties: false,
    description: 'An Entra error: AADSTS code, text, trace and correlation ids',
  },
)
