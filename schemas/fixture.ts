import { Type, type Static } from 'typebox'

import { CONNECTION_ID_PATTERN, FlowTimestamp, Id } from './common.ts'
import { FlowState } from './flow.ts'
import { GrantableRole, PrincipalType } from './permission.ts'

/**
 * The fixture document: the emulator's whole state in one JSON file. The demo tenant
 * (`fixtures/demo-tenant.json`) is one; `--fixtures <file>` loads another. Every object is
 * strict (`additionalProperties: false`) so a misspelt field is reported, not ignored.
 */

const strict = { additionalProperties: false } as const
const Name = Type.String({ minLength: 1, maxLength: 256 })

/** Directory roles the emulator knows; their template ids are in server/auth/directory-roles.ts. */
export const DirectoryRole = Type.Enum(['GlobalAdministrator', 'PowerPlatformAdministrator', 'GlobalReader'])
export type DirectoryRole = Static<typeof DirectoryRole>

export const SigningKeyFixture = Type.Object(
  {
    privateKeyPem: Type.String({ minLength: 1, description: 'PKCS#8 RSA private key (TEST ONLY)' }),
    certificatePem: Type.String({ minLength: 1, description: 'Self-signed X.509 certificate of that key' }),
  },
  strict,
)
export type SigningKeyFixture = Static<typeof SigningKeyFixture>

export const UserFixture = Type.Object(
  {
    objectId: Id,
    userPrincipalName: Type.String({ minLength: 3, maxLength: 256, pattern: '^[^@\\s]+@[^@\\s]+$' }),
    displayName: Name,
    givenName: Type.Optional(Name),
    surname: Type.Optional(Name),
    mail: Type.Optional(Type.String({ maxLength: 320 })),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    roles: Type.Array(DirectoryRole, { uniqueItems: true }),
  },
  strict,
)
export type UserFixture = Static<typeof UserFixture>

export const GroupFixture = Type.Object({ objectId: Id, displayName: Name }, strict)
export type GroupFixture = Static<typeof GroupFixture>

export const AppFixture = Type.Object(
  {
    clientId: Id,
    displayName: Name,
    servicePrincipalId: Id,
    secrets: Type.Array(Type.String({ minLength: 1, maxLength: 256 })),
    // As PEM, or as the connector's form takes it: a PFX file (base64) with its password.
    certificates: Type.Array(
      Type.Union([
        Type.Object(
          { certificatePem: Type.String({ minLength: 1, description: 'X.509 certificate, PEM' }) },
          strict,
        ),
        Type.Object(
          {
            pfxBase64: Type.String({ minLength: 1, description: 'PKCS#12 (PFX) file, base64' }),
            password: Type.String({ description: 'The PFX password' }),
          },
          strict,
        ),
      ]),
    ),
    managementApplication: Type.Boolean({
      description: 'Registered as a Power Platform management application (may call the admin API)',
    }),
    redirectUris: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 256 }), {
        uniqueItems: true,
        maxItems: 256,
        description:
          'Where /authorize may send a code: https, or http on localhost or 127.0.0.1 (any port matches). None: every sign-in through /authorize is refused (AADSTS500113)',
      }),
    ),
  },
  strict,
)
export type AppFixture = Static<typeof AppFixture>

export const PermissionFixture = Type.Object(
  {
    principalId: Id,
    principalType: PrincipalType,
    roleName: GrantableRole,
    email: Type.Optional(Type.String({ maxLength: 320 })),
    displayName: Type.Optional(Name),
  },
  strict,
)
export type PermissionFixture = Static<typeof PermissionFixture>

export const FlowRunFixture = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128 }),
    status: Type.Enum(['Succeeded', 'Failed', 'Running', 'Cancelled']),
    startTime: FlowTimestamp,
    endTime: Type.Optional(
      Type.Unsafe<string>({ ...FlowTimestamp, description: 'When the run ended; none while it is Running' }),
    ),
    trigger: Type.Optional(
      Type.Object(
        {
          name: Type.String({
            minLength: 1,
            maxLength: 128,
            description: "The trigger's name; default manual",
          }),
          outputs: Type.Optional(
            Type.Record(Type.String(), Type.Unknown(), {
              description: 'What the trigger returned (headers, body), served at outputsLink; default empty',
            }),
          ),
        },
        strict,
      ),
    ),
  },
  strict,
)

/** A trigger's outputs when the fixture gives none. */
export const EMPTY_TRIGGER_OUTPUTS = { headers: {}, body: {} }

export const FlowFixture = Type.Object(
  {
    name: Id,
    displayName: Name,
    state: FlowState,
    createdTime: FlowTimestamp,
    lastModifiedTime: FlowTimestamp,
    creator: Type.Object({ objectId: Id, type: Type.Enum(['User', 'ServicePrincipal']) }, strict),
    permissions: Type.Array(PermissionFixture),
    deletedTime: Type.Optional(
      Type.Unsafe<string>({
        ...FlowTimestamp,
        description: 'Set for a soft-deleted flow: when it was deleted (it can be restored for a while)',
      }),
    ),
    runs: Type.Optional(Type.Array(FlowRunFixture)),
  },
  strict,
)
export type FlowFixture = Static<typeof FlowFixture>

export const ApprovalFixture = Type.Object(
  {
    name: Id,
    userId: Id,
    title: Name,
    createdTime: FlowTimestamp,
  },
  strict,
)
export type ApprovalFixture = Static<typeof ApprovalFixture>

export const EnvironmentFixture = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9-]+$' }),
    displayName: Name,
    isDefault: Type.Boolean(),
    location: Type.String({ minLength: 1, maxLength: 64 }),
    createdTime: FlowTimestamp,
    flows: Type.Array(FlowFixture),
    approvals: Type.Array(ApprovalFixture),
  },
  strict,
)
export type EnvironmentFixture = Static<typeof EnvironmentFixture>

export const UserDetailsFixture = Type.Object(
  {
    objectId: Id,
    puid: Type.String({ pattern: '^[0-9A-F]{16}$', description: '16 upper-case hex digits' }),
    isDisallowedForInternalPlans: Type.Boolean(),
    consentTime: FlowTimestamp,
    serviceSettingsSelectionTime: FlowTimestamp,
    consentBusinessAppPlatformTime: FlowTimestamp,
  },
  strict,
)
export type UserDetailsFixture = Static<typeof UserDetailsFixture>

/** A connection of the connector: owned by a user (or app) of the tenant; not shareable. */
export const ConnectionFixture = Type.Object(
  {
    id: Type.String({
      pattern: CONNECTION_ID_PATTERN,
      description: 'Any URL-safe string of 1 to 128 characters',
    }),
    owner: Type.String({
      minLength: 1,
      maxLength: 256,
      description: 'UPN or object id of the user who created it',
    }),
    authType: Type.Enum(['firstParty', 'CertOauth']),
    clientId: Type.Optional(Id),
    pfxBase64: Type.Optional(Type.String({ minLength: 1, description: 'CertOauth: the PFX, base64' })),
    password: Type.Optional(Type.String({ description: 'CertOauth: the PFX password' })),
  },
  strict,
)
export type ConnectionFixture = Static<typeof ConnectionFixture>

/** Defaults of a subscription's policies: a pay-as-you-go subscription in the public cloud. */
export const SUBSCRIPTION_POLICY_DEFAULTS = {
  locationPlacementId: 'Public_2014-09-01',
  quotaId: 'PayAsYouGo_2014-09-01',
  spendingLimit: 'Off',
} as const

/** An Azure subscription of the tenant, as ARM's `GET /subscriptions` lists it (`az login` shows it). */
export const SubscriptionFixture = Type.Object(
  {
    subscriptionId: Id,
    displayName: Name,
    state: Type.Enum(['Enabled', 'Warned', 'PastDue', 'Disabled', 'Deleted']),
    tags: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 512 }), Type.String({ maxLength: 256 }), {
        maxProperties: 50,
      }),
    ),
    subscriptionPolicies: Type.Optional(
      Type.Object(
        {
          locationPlacementId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
          quotaId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
          spendingLimit: Type.Optional(Type.Enum(['On', 'Off', 'CurrentPeriodOff'])),
        },
        { ...strict, description: `Defaults: ${JSON.stringify(SUBSCRIPTION_POLICY_DEFAULTS)}` },
      ),
    ),
  },
  strict,
)
export type SubscriptionFixture = Static<typeof SubscriptionFixture>

export const TenantFixture = Type.Object(
  {
    id: Id,
    name: Type.String({
      pattern: '^[a-z][a-z0-9-]{0,62}$',
      description: 'Short template key, e.g. contoso',
    }),
    domain: Type.String({ pattern: '^[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$', maxLength: 253 }),
    displayName: Name,
    signingKey: Type.Optional(SigningKeyFixture),
    users: Type.Array(UserFixture),
    groups: Type.Array(GroupFixture),
    apps: Type.Array(AppFixture),
    environments: Type.Array(EnvironmentFixture),
    userDetails: Type.Array(UserDetailsFixture),
    connections: Type.Optional(Type.Array(ConnectionFixture)),
    subscriptions: Type.Optional(Type.Array(SubscriptionFixture)),
  },
  strict,
)
export type TenantFixture = Static<typeof TenantFixture>

export const FixtureDocument = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    tenants: Type.Array(TenantFixture),
  },
  strict,
)
export type FixtureDocument = Static<typeof FixtureDocument>
