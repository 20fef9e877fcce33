import { Type, type Static } from 'typebox'

/** A GUID, as Entra and the Flow service write object ids (any case accepted; stored lower-case). */
export const GUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
export const Guid = Type.String({ pattern: GUID_PATTERN, description: 'A GUID' })

/**
 * The one spelling of an id inside the emulator. The service compares ids (GUIDs) without regard
 * to case; the emulator lower-cases each where it enters (a fixture document, a request's path,
 * body or token) and stores and compares them as they are from there on. The columns that hold
 * ids are `COLLATE NOCASE` as well, so a lookup by an id as a client spelt it finds its row.
 */
export const normaliseId = (id: string): string => id.toLowerCase()

/** A GUID that decodes to its normal spelling: a fixture document's ids (see `normaliseId`). */
export const Id = Type.Codec(Guid)
  .Decode(normaliseId)
  .Encode((id: string) => id)

/** A connection id of the connector: any URL-safe string of 1 to 128 characters. */
export const CONNECTION_ID_PATTERN = '^[A-Za-z0-9._~-]{1,128}$'

/** A timestamp as the Flow service writes them: ISO 8601 with 7 fractional digits and `Z`. */
export const FlowTimestamp = Type.String({ format: 'date-time', examples: ['2024-03-08T10:24:12.0147046Z'] })

/** Path segments are bounded so no request can make the emulator do unbounded work. */
export const PathSegment = Type.String({ minLength: 1, maxLength: 256 })

export const ErrorEnvelope = Type.Object(
  {
    error: Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: false }),
  },
  { additionalProperties: false, description: 'The service error envelope' },
)
export type ErrorEnvelope = Static<typeof ErrorEnvelope>

/** The 403 every endpoint answers to a Host or Origin it is not called by (SECURITY.md). */
export const HOST_NOT_ALLOWED = 'Host or Origin not allowed (HostNotAllowed; --allowed-hosts)'

export const ApiVersionQuery = Type.Object(
  {
    'api-version': Type.Optional(
      Type.String({ maxLength: 64, description: 'Service API version: 2016-11-01 or 2017-05-01' }),
    ),
  },
  { additionalProperties: true },
)

/** An empty success: status line, no body, no Content-Type. */
export const EmptyResponse = Type.Null({ description: 'Success, no body' })
