import { Type, type Static } from 'typebox'

/** POST /_emulator/tokens: mint an access token without an Entra sign-in, for tests and curl demos. */
export const MintTokenRequest = Type.Object(
  {
    tenant: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 256,
        description: "Tenant id, domain or short name; optional when `user` is a UPN of the tenant's domain",
      }),
    ),
    user: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, description: 'UPN or object id of a tenant user' }),
    ),
    clientId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'Application: alone, an app-only token; with `user`, the client the user signed in with',
      }),
    ),
    audience: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 512,
        description: 'Default https://service.flow.microsoft.com/',
      }),
    ),
    expiresInSeconds: Type.Optional(
      Type.Integer({
        minimum: -31536000,
        maximum: 31536000,
        description: 'Default 3600; negative for an expired token',
      }),
    ),
    claims: Type.Optional(
      Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), {
        maxProperties: 50,
        description: 'Extra or overriding claims',
      }),
    ),
  },
  { additionalProperties: false },
)
export type MintTokenRequest = Static<typeof MintTokenRequest>

export const MintTokenResponse = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.Literal('Bearer'),
    expires_in: Type.Integer(),
  },
  { description: 'The minted token' },
)
