import { Type, type Static, type TSchema } from 'typebox'

/**
 * The control plane's shapes (/_emulator): the routes validate and serialize with these schemas,
 * the services take and return their `Static` types, and the dashboard client imports the types.
 */

const Nullable = <T extends TSchema>(t: T, options: { description?: string } = {}) =>
  Type.Union([t, Type.Null()], options)

export const TenantQuery = Type.Object(
  {
    tenant: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, description: 'Tenant id, domain or short name' }),
    ),
  },
  { additionalProperties: false },
)

export const ResetResult = Type.Object(
  {
    status: Type.Literal('reset'),
    tenant: Nullable(Type.String()),
    durationMs: Type.Number(),
  },
  { description: 'Reset' },
)

/** PUT /_emulator/state: a whole fixture document; the state service checks it against the fixture schema. */
export const StateDocument = Type.Object(
  { tenants: Type.Array(Type.Object({}, { additionalProperties: true })) },
  { additionalProperties: true, description: 'A fixture document (see fixtures/README.md)' },
)

/**
 * PATCH /_emulator/state: partial tenants, each named by `id` or `name`; what they carry is
 * merged into the tenant, and the result is checked against the fixture schema.
 */
export const StatePatch = Type.Object(
  {
    tenants: Type.Array(
      Type.Union([
        Type.Object({ id: Type.String({ minLength: 1 }) }, { additionalProperties: true }),
        Type.Object({ name: Type.String({ minLength: 1 }) }, { additionalProperties: true }),
      ]),
    ),
  },
  { additionalProperties: false, description: 'A partial fixture document' },
)
export type StatePatch = Static<typeof StatePatch>

export const ImportResult = Type.Object({ tenants: Type.Integer() }, { description: 'Imported' })
export const PatchResult = Type.Object(
  { tenants: Type.Array(Type.String()) },
  { description: 'The tenants changed' },
)

/** A fault rule as a client writes it; unknown fields are a 400, never ignored. */
export const FaultRuleInput = Type.Object(
  {
    preset: Type.Optional(
      Type.Enum(['throttle', 'unavailable'], { description: 'throttle: the gateway 429; unavailable: 503' }),
    ),
    operationId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    method: Type.Optional(Type.Enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'])),
    path: Type.Optional(
      Type.String({ minLength: 1, maxLength: 1024, description: 'Glob: * within a segment, ** across' }),
    ),
    tenant: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    connection: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    status: Type.Optional(Type.Integer({ minimum: 200, maximum: 599 })),
    body: Type.Optional(Type.Unknown({ description: 'Response body (JSON)' })),
    headers: Type.Optional(
      Type.Record(Type.String({ maxLength: 128 }), Type.String({ maxLength: 4096 }), { maxProperties: 50 }),
    ),
    delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 120_000 })),
    dropConnection: Type.Optional(Type.Boolean()),
    times: Type.Optional(Type.Integer({ minimum: 1 })),
    probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
)
export type FaultRuleInput = Static<typeof FaultRuleInput>

/** A fault rule as the emulator keeps it: what the client wrote, a preset's answer filled in. */
export const FaultRule = Type.Object(
  {
    ...FaultRuleInput.properties,
    id: Type.String(),
    fired: Type.Integer({ minimum: 0, description: 'How many times it fired' }),
  },
  { additionalProperties: false, description: 'A fault rule, with its id' },
)
export type FaultRule = Static<typeof FaultRule>

export const JournalEntry = Type.Object(
  {
    id: Type.String(),
    time: Type.String(),
    method: Type.String(),
    host: Type.String(),
    path: Type.String(),
    surface: Type.Enum(['flow', 'connector', 'entra', 'graph', 'other']),
    operationId: Nullable(Type.String()),
    connection: Nullable(Type.String()),
    tenant: Nullable(Type.String()),
    principal: Nullable(Type.String(), { description: "The caller's object id" }),
    client: Nullable(Type.String(), { description: "The caller's client application id (appid)" }),
    status: Type.Integer(),
    durationMs: Type.Number(),
    requestBody: Nullable(Type.String()),
    requestBodyTruncated: Type.Boolean(),
    responseBody: Nullable(Type.String()),
    responseBodyTruncated: Type.Boolean(),
    requestHeaders: Type.Record(Type.String(), Type.String(), {
      description: 'Names in lower case; credentials (Authorization, cookies) redacted',
    }),
    responseHeaders: Type.Record(Type.String(), Type.String(), {
      description: 'As sent (Retry-After, WWW-Authenticate, x-ms-request-id, ...)',
    }),
  },
  { description: 'One request, secrets redacted' },
)
export type JournalEntry = Static<typeof JournalEntry>

export const Throttling = Type.Object(
  {
    enabled: Type.Boolean(),
    limit: Type.Integer(),
    windowSeconds: Type.Integer(),
    countRejected: Type.Boolean(),
    surfaces: Type.Array(Type.Union([Type.Literal('connector'), Type.Literal('flow')]), {
      description:
        'The surfaces these settings throttle: the connector gateway, and the direct Flow API with --throttle-flow-api',
    }),
    connections: Type.Array(
      Type.Object({
        connection: Type.String({
          description: 'A connection id, or caller:<tenant>:<principal>:<client> on the Flow API',
        }),
        used: Type.Integer(),
        remaining: Type.Integer(),
        resetSeconds: Type.Integer(),
        lastThrottledAt: Nullable(Type.String()),
      }),
    ),
  },
  { description: 'Throttle settings and the use of each connection in its current window' },
)
export type Throttling = Static<typeof Throttling>

const Count = (description: string) => Type.Integer({ minimum: 0, description })

export const Traffic = Type.Object(
  {
    now: Type.String({ format: 'date-time', description: "The emulator clock's time of these figures" }),
    since: Type.String({
      format: 'date-time',
      description: 'Start, or the last full reset (emulator clock): what the totals count from',
    }),
    requestsPerMinute: Count(
      'API and token requests that started in the last 60 seconds of the emulator clock (this second and the 59 before)',
    ),
    requests: Count('API and token requests since `since`'),
    clientErrors: Count('Of which answered 4xx'),
    throttled: Count('Of which answered 429 (also counted in clientErrors)'),
    serverErrors: Count('Of which answered 5xx'),
  },
  {
    additionalProperties: false,
    description: 'Request traffic, counted apart from the journal: it holds with the journal off or full',
  },
)
export type Traffic = Static<typeof Traffic>

/** Flows shown per environment: the dashboard is for looking, not for 100 000-row tables. */
export const OVERVIEW_FLOW_LIMIT = 200

export const Overview = Type.Object(
  {
    version: Type.String(),
    now: Type.String({ description: "The emulator's clock" }),
    journal: Type.Object({ enabled: Type.Boolean() }),
    endpoints: Type.Object({
      httpUrl: Nullable(Type.String()),
      httpsUrl: Nullable(Type.String()),
      caCertificateUrl: Nullable(Type.String()),
      proxyUrl: Nullable(Type.String()),
    }),
    clients: Type.Array(Type.Object({ clientId: Type.String(), displayName: Type.String() }), {
      description: "Microsoft's public clients every tenant knows, to name a caller's app",
    }),
    tenants: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        domain: Type.String(),
        displayName: Type.String(),
        admin: Nullable(Type.String({ description: 'UPN of a user who may call the admin API' })),
        users: Type.Array(
          Type.Object({
            objectId: Type.String(),
            upn: Type.String(),
            displayName: Type.String(),
            password: Type.String({ description: 'Demo password (fixture data, never a real one)' }),
            roles: Type.Array(Type.String()),
          }),
        ),
        apps: Type.Array(
          Type.Object({
            clientId: Type.String(),
            servicePrincipalId: Type.String({ description: 'The object id an app-only token carries' }),
            displayName: Type.String(),
            secret: Nullable(Type.String({ description: 'First client secret (fixture data)' })),
            managementApplication: Type.Boolean(),
          }),
        ),
        connections: Type.Array(
          Type.Object({ id: Type.String(), authType: Type.String(), owner: Type.String() }),
        ),
        environments: Type.Array(
          Type.Object({
            name: Type.String(),
            displayName: Type.String(),
            isDefault: Type.Boolean(),
            flowsTruncated: Type.Boolean({
              description: `Only the first ${OVERVIEW_FLOW_LIMIT} flows are listed`,
            }),
            flows: Type.Array(
              Type.Object({
                name: Type.String(),
                displayName: Type.String(),
                state: Type.String(),
                lastModifiedTime: Type.String(),
                deletedTime: Nullable(
                  Type.String({ description: 'Set while a deleted flow can still be restored' }),
                ),
                permissions: Type.Array(
                  Type.Object({
                    roleName: Type.String(),
                    principalId: Type.String(),
                    principalType: Type.String(),
                    displayName: Nullable(Type.String()),
                    hiddenFromApi: Type.Boolean({
                      description: 'GET .../permissions never lists it (a service principal)',
                    }),
                  }),
                  { description: "In the API's order (Owner first), then the principals it hides" },
                ),
              }),
            ),
          }),
        ),
        userDetails: Type.Array(
          Type.Object({
            objectId: Type.String(),
            displayName: Nullable(Type.String()),
            puid: Type.String(),
            isDisallowedForInternalPlans: Type.Boolean(),
            consentTime: Type.String(),
          }),
        ),
      }),
    ),
  },
  { description: 'Everything the dashboard shows, in one document' },
)
export type Overview = Static<typeof Overview>
export type Tenant = Overview['tenants'][number]
export type Environment = Tenant['environments'][number]
export type Flow = Environment['flows'][number]
export type Permission = Flow['permissions'][number]

/** The surfaces contract coverage tallies: the clients' own, not the control plane. */
export const COVERAGE_SURFACES = ['flow', 'connector', 'entra', 'graph'] as const

const CoverageStatus = Type.String({
  pattern: '^[1-5][0-9][0-9]$',
  description: 'An HTTP status, as a string',
})

export const CoverageReport = Type.Object(
  {
    since: Type.String({
      format: 'date-time',
      description: 'Start, or the last full reset (emulator clock)',
    }),
    operations: Type.Array(
      Type.Object(
        {
          operationId: Type.String({
            description: "The operation's id (the connector's own on both surfaces)",
          }),
          surface: Type.Enum([...COVERAGE_SURFACES]),
          seen: Type.Record(
            CoverageStatus,
            Type.Object(
              {
                count: Type.Integer({ minimum: 1, description: 'Answers with this status' }),
                injected: Type.Integer({ minimum: 0, description: 'Of which a fault rule answered' }),
              },
              { additionalProperties: false },
            ),
            { description: 'Statuses answered, with counts' },
          ),
          neverSeen: Type.Array(CoverageStatus, {
            description: 'Documented statuses no request has received',
          }),
        },
        { additionalProperties: false },
      ),
      { description: 'Every documented operation of the client surfaces, called or not' },
    ),
  },
  { additionalProperties: false, description: 'Contract coverage' },
)
export type CoverageReport = Static<typeof CoverageReport>
