/**
 * The error catalog: every error the emulator answers with is defined here, once, with where its
 * shape comes from. The single error handler (plugins/error-handler.ts) renders a ServiceError as
 * the service's envelope `{"error":{"code","message"}}` (flow-admin-api.md §3).
 */

export class ServiceError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'ServiceError'
  }
}

/** The api-version values the Flow admin API accepts (flow-admin-api.md §0: every client sends one of these). */
export const SUPPORTED_API_VERSIONS = ['2016-11-01', '2017-05-01'] as const

/**
 * The realm clients are sent to in `WWW-Authenticate`, as the real Flow API answers
 * (entra.md §7.1, capture from microsoft/powerapps-tools#961).
 */
const AUTHORIZATION_URI = 'https://login.windows.net/'

function unauthorized(code: string, message: string, description: string): ServiceError {
  const escaped = description.replace(/["\\]/g, '')
  return new ServiceError(401, code, message, {
    'www-authenticate': `Bearer authorization_uri="${AUTHORIZATION_URI}", error="invalid_token", error_description="${escaped}"`,
  })
}

export const errors = {
  // --- Authentication (entra.md §7.1; ARM codes, which the Flow RP shares as it is reachable through management.azure.com)

  /** @see entra.md §7.1: missing header. */
  missingAuthorization: () =>
    unauthorized(
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing.",
      'The access token is missing.',
    ),
  /** @see entra.md §7.1: `Authorization` present but not a bearer token. */
  invalidAuthorizationScheme: () =>
    unauthorized(
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is provided in an invalid format.",
      'The access token is missing.',
    ),
  /** @see entra.md §7.1: the real capture for a token the service cannot verify. */
  invalidToken: (detail: string) =>
    unauthorized(
      'AuthenticationFailed',
      'Authentication failed. ',
      `Could not find identity for access token. ${detail}`,
    ),
  /** @see entra.md §7.1 (ARM `ExpiredAuthenticationToken`). */
  expiredToken: (expiredAt: Date, now: Date) =>
    unauthorized(
      'ExpiredAuthenticationToken',
      `The access token expiry UTC time '${expiredAt.toISOString()}' is earlier than current UTC time '${now.toISOString()}'.`,
      'The access token has expired.',
    ),
  /** @see entra.md §7.1 (ARM `InvalidAuthenticationTokenAudience`). */
  wrongAudience: (audience: string, allowed: readonly string[]) =>
    unauthorized(
      'InvalidAuthenticationTokenAudience',
      `The access token has been obtained for wrong audience or resource '${audience}'. It should exactly match with one of the allowed audiences ${allowed.map((a) => `'${a}'`).join(',')}.`,
      'The access token audience is invalid.',
    ),
  /** @see entra.md §7.1 (ARM `InvalidAuthenticationTokenTenant`). */
  wrongTenant: (issuer: string) =>
    unauthorized(
      'InvalidAuthenticationTokenTenant',
      `The access token is from the wrong issuer '${issuer}'. It must match a tenant known to this service.`,
      'The access token issuer is invalid.',
    ),

  // --- Authorization

  // EMULATOR: inferred from ARM's `AuthorizationFailed`; the real body for a non-admin caller is not captured.
  notAnAdmin: (objectId: string) =>
    new ServiceError(
      403,
      'AuthorizationFailed',
      `The client '${objectId}' does not have authorization to perform admin actions. A Global Administrator or Power Platform Administrator role, or an application registered as a management application, is required.`,
    ),
  // EMULATOR: the message is the connector page's (flow-admin-api.md §1.5); the code name is invented.
  servicePrincipalNotSupported: () =>
    new ServiceError(
      403,
      'ServicePrincipalAuthenticationNotSupported',
      'Service Principal authentication is not supported for administrative actions involving user details.',
    ),

  // --- Resources (flow-admin-api.md §3)

  /** @see flow-admin-api.md §3 (capture; status 403 inferred). */
  environmentAccessDenied: (environment: string) =>
    new ServiceError(403, 'EnvironmentAccessDenied', `Access to the environment '${environment}' is denied.`),
  /** @see flow-admin-api.md §3 (capture, microsoft/powerapps-tools#581). */
  flowNotFound: (flow: string) => new ServiceError(404, 'FlowNotFound', `Could not find flow '${flow}'.`),
  // EMULATOR: inferred; restoring a flow that is not in the recycle bin answers like a missing flow.
  deletedFlowNotFound: (flow: string) =>
    new ServiceError(404, 'FlowNotFound', `Could not find soft-deleted flow '${flow}'.`),
  // EMULATOR: message template captured (power-automate-docs#644); 404 for GET/DELETE is inferred.
  missingUserDetails: (tenantId: string, principalId: string) =>
    new ServiceError(
      404,
      'MissingUserDetails',
      `The user details for tenant id '${tenantId}' and principal id '${principalId}' doesn't exist.`,
    ),
  /** @see flow-admin-api.md §3 (capture, microsoft/coe-starter-kit#7780; status 400 inferred). */
  permissionDowngradeNotAllowed: (principalId: string) =>
    new ServiceError(
      400,
      'PermissionDowngradeNotAllowed',
      `Principal '${principalId}' already has greater permissions to the flow. The permission cannot be downgraded.`,
    ),
  // EMULATOR: inferred (flow-admin-api.md §4: the creator cannot be removed; the real body is unknown).
  cannotRemoveOwner: (principalId: string) =>
    new ServiceError(
      400,
      'CannotRemoveOwner',
      `Principal '${principalId}' is the owner (creator) of the flow and cannot be removed.`,
    ),
  // EMULATOR: status 400 from the PowerShell module's check (flow-admin-api.md §1.2); code and text inferred from its message.
  userStillOwnsFlows: (principalId: string, flowCount: number) =>
    new ServiceError(
      400,
      'UserDetailsDeletionNotAllowed',
      `The user '${principalId}' still owns ${flowCount} flow(s). All flows for this user must be deleted before user details can be deleted.`,
    ),

  // --- Request shape

  // EMULATOR: inferred from ARM (flow-admin-api.md §3); not verified for the Flow RP.
  missingApiVersion: () =>
    new ServiceError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    ),
  // EMULATOR: inferred from ARM (flow-admin-api.md §3); not verified for the Flow RP.
  invalidApiVersion: (given: string) =>
    new ServiceError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${given}' is invalid. The supported versions are '${SUPPORTED_API_VERSIONS.join(',')}'.`,
    ),
  // EMULATOR: the code is ARM's for a malformed body; the message names the field and the problem.
  invalidRequestContent: (detail: string) =>
    new ServiceError(
      400,
      'InvalidRequestContent',
      `The request content was invalid and could not be deserialized: ${detail}`,
    ),
  // EMULATOR: inferred; the real service's limit and body for large requests are unknown.
  requestTooLarge: (limitBytes: number) =>
    new ServiceError(
      413,
      'RequestEntityTooLarge',
      `The request body is larger than the limit of ${limitBytes} bytes.`,
    ),
  // EMULATOR: inferred; the real body for an unsupported content type is unknown.
  unsupportedMediaType: (contentType: string) =>
    new ServiceError(
      415,
      'UnsupportedMediaType',
      `The content type '${contentType}' is not supported. Send 'application/json'.`,
    ),
  // EMULATOR: inferred; the real service's body for an unknown path is unknown.
  routeNotFound: (method: string, path: string) =>
    new ServiceError(404, 'NotFound', `No route matches '${method} ${path}'.`),
  // EMULATOR: the emulator's own storage failures (a full disk, a read-only or locked database).
  // The real service has no such failure a client could see; the 5xx says what to fix, and reads go on.
  storageFull: () =>
    new ServiceError(
      507,
      'InsufficientStorage',
      'The emulator could not save the change: its database disk is full. Nothing was changed.',
    ),
  storageReadOnly: () =>
    new ServiceError(
      503,
      'StorageReadOnly',
      'The emulator could not save the change: its database is read-only. Nothing was changed.',
    ),
  storageBusy: () =>
    new ServiceError(503, 'StorageBusy', 'The emulator database is busy. Retry the request.', {
      'retry-after': '1',
    }),
  headersTooLarge: () =>
    new ServiceError(431, 'RequestHeaderFieldsTooLarge', 'The request headers are larger than 16 KiB.'),
  /** Never exposes internals: the full error is logged, not sent. */
  internal: () => new ServiceError(500, 'InternalServerError', 'The server encountered an internal error.'),

  // --- Emulator control plane (/_emulator): the emulator's own errors, in the same envelope

  controlPlaneForbidden: () =>
    new ServiceError(
      403,
      'ControlPlaneForbidden',
      'The emulator control plane only answers loopback clients.',
    ),
  controlKeyRequired: () =>
    new ServiceError(
      403,
      'ControlPlaneForbidden',
      "The emulator control plane needs the right 'x-emulator-key' header.",
    ),
  notReady: () => new ServiceError(503, 'NotReady', 'The emulator is not ready.'),
  crossOriginControlCall: (origin: string) =>
    new ServiceError(
      403,
      'ControlPlaneForbidden',
      `The emulator control plane refuses calls from another origin ('${origin}'): a web page may not drive it.`,
    ),
  /** The proxy refuses what the emulator does not emulate: it never forwards to the internet. */
  proxyRefused: (what: string) =>
    new ServiceError(
      502,
      'ProxyRefused',
      `The emulator's proxy does not serve ${what}: it emulates only the Flow admin API, Entra ID, the Graph look-ups and the connector, and never reaches the internet.`,
    ),
  dashboardNotBuilt: () =>
    new ServiceError(
      503,
      'DashboardNotBuilt',
      "The dashboard's scripts are not built: run 'npm run build' (npm start and npm ci do it).",
    ),
  assetNotFound: (name: string) => new ServiceError(404, 'NotFound', `The dashboard has no file '${name}'.`),
  noCaCertificate: () =>
    new ServiceError(
      404,
      'NotFound',
      'This emulator has no local CA certificate (HTTPS is off, or --tls-cert brought its own).',
    ),
  faultNotFound: (id: string) => new ServiceError(404, 'FaultNotFound', `No fault rule '${id}' exists.`),
  tenantNotFound: (tenant: string) =>
    new ServiceError(404, 'TenantNotFound', `No tenant '${tenant}' is known to the emulator.`),
  principalNotFound: (tenant: string, principal: string) =>
    new ServiceError(
      404,
      'PrincipalNotFound',
      `No user or application '${principal}' exists in tenant '${tenant}'.`,
    ),
}

// --- Microsoft Entra ID (token, authorize and device endpoints)
//
// Entra answers in its own shape, `{error, error_description: "AADSTSnnnn: ...", error_codes,
// timestamp, trace_id, correlation_id}` (entra.md §1.4); `server/entra/respond.ts` renders it.
// Codes and texts are those of entra.md §1.5; the ones marked [MEM] there are inferred.

export class EntraError extends Error {
  constructor(
    readonly statusCode: number,
    /** The OAuth error: `invalid_client`, `invalid_grant`, ... */
    readonly error: string,
    /** The AADSTS number. */
    readonly code: number,
    message: string,
  ) {
    super(message)
    this.name = 'EntraError'
  }
}

const entra = (status: number, error: string, code: number, message: string) =>
  new EntraError(status, error, code, message)

export const entraErrors = {
  // EMULATOR: inferred (RFC 6749 §5.2's temporarily_unavailable); only the emulator's own storage fails this way.
  temporarilyUnavailable: () =>
    entra(
      503,
      'temporarily_unavailable',
      90033,
      'The emulator could not save the sign-in state: its database refused the write.',
    ),
  tenantNotFound: (tenant: string) =>
    entra(
      400,
      'invalid_tenant',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  grantNotOnCommon: () =>
    entra(
      400,
      'invalid_request',
      9001023,
      "The grant type isn't supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.",
    ),
  missingParameter: (name: string) =>
    entra(
      400,
      'invalid_request',
      900144,
      `The request body must contain the following parameter: '${name}'.`,
    ),
  malformedRequest: (detail: string) =>
    entra(400, 'invalid_request', 9002313, `Invalid request. Request is malformed or invalid. ${detail}`),
  unsupportedGrantType: (grant: string) =>
    entra(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`),
  // [MEM] status and error for 700016.
  appNotFound: (clientId: string, tenant: string) =>
    entra(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  missingClientCredential: () =>
    entra(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  invalidClientSecret: (clientId: string) =>
    entra(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  publicClientWithCredential: () =>
    entra(
      400,
      'invalid_request',
      700025,
      "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
    ),
  invalidScope: (scope: string) =>
    entra(
      400,
      'invalid_scope',
      70011,
      `The provided value for the input parameter 'scope' isn't valid. The scope ${scope} isn't valid.`,
    ),
  clientCredentialsNeedDefault: (scope: string) =>
    entra(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  multipleResources: (scope: string) =>
    entra(
      400,
      'invalid_scope',
      700022,
      `The provided value for the input parameter scope isn't valid because it contains more than one resource. Scope ${scope} is not valid.`,
    ),
  resourceNotFound: (resource: string, tenant: string) =>
    entra(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenant}.`,
    ),
  resourceParameterOnV2: () =>
    entra(400, 'invalid_request', 901002, "The 'resource' request parameter isn't supported."),
  assertionWithoutThumbprint: () =>
    entra(
      401,
      'invalid_client',
      50027,
      'Invalid JWT token. No certificate thumbprint specified in token header.',
    ),
  certificateNotRegistered: (thumbprint: string, clientId: string) =>
    entra(
      401,
      'invalid_client',
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`,
    ),
  assertionSignatureInvalid: (thumbprint: string) =>
    entra(
      401,
      'invalid_client',
      700027,
      `Client assertion contains an invalid signature. [Reason - Key was found, but use of the key to verify the signature failed., Thumbprint of key used by client: '${thumbprint}']`,
    ),
  // EMULATOR: inferred; Entra's exact code for these assertion faults is not captured.
  assertionInvalid: (reason: string) =>
    entra(401, 'invalid_client', 700027, `Client assertion failed validation. [Reason - ${reason}]`),
  assertionSubjectMismatch: () =>
    entra(401, 'invalid_client', 50048, 'Subject mismatches Issuer claim in the client assertion.'),
  // [MEM] 700024 for an assertion outside its lifetime.
  assertionExpired: () =>
    entra(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range.'),
  userNotFound: (tenant: string) =>
    entra(
      400,
      'invalid_grant',
      50034,
      `The user account {EUII Hidden} does not exist in the ${tenant} directory. To sign into this application, the account must be added to the directory.`,
    ),
  invalidCredentials: () =>
    entra(400, 'invalid_grant', 50126, 'Error validating credentials due to invalid username or password.'),
  authorizationPending: () =>
    entra(
      400,
      'authorization_pending',
      70016,
      'OAuth 2.0 device flow error. Authorization is pending. Continue polling.',
    ),
  deviceCodeExpired: () => entra(400, 'expired_token', 70019, 'Verification code expired.'),
  invalidGrant: (what: string) =>
    entra(400, 'invalid_grant', 70000, `The provided value for the input parameter '${what}' is not valid.`),
  grantExpired: (what: string) =>
    entra(
      400,
      'invalid_grant',
      70008,
      `The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource. (${what})`,
    ),
  codeRedeemed: () =>
    entra(
      400,
      'invalid_grant',
      54005,
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    ),
  pkceMismatch: () =>
    entra(
      400,
      'invalid_grant',
      501481,
      "The Code_Verifier doesn't match the code_challenge supplied in the authorization request.",
    ),
  redirectUriMismatch: (uri: string) =>
    entra(
      400,
      'invalid_grant',
      50011,
      `The redirect URI '${uri}' specified in the request does not match the redirect URI of the authorization code.`,
    ),
  clientMismatch: () => entra(400, 'invalid_grant', 70000, 'The grant was issued to another client.'),
}

// --- The connector gateway (azure-apim.net). Its own failures do not use the service envelope:
// the throttle answers as Azure API Management does, token-exchange failures as the gateway does
// (flow-admin-api.md §5.2, §5.3). Backend errors pass through it unchanged.

export class GatewayError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body['message'] === 'string' ? body['message'] : 'gateway error')
    this.name = 'GatewayError'
  }
}

export const gatewayErrors = {
  /** @see flow-admin-api.md §5.2 (capture of the APIM rate-limit policy's answer). */
  rateLimited: (retryAfterSeconds: number) =>
    new GatewayError(
      429,
      { statusCode: 429, message: `Rate limit is exceeded. Try again in ${retryAfterSeconds} seconds.` },
      { 'retry-after': String(retryAfterSeconds) },
    ),
  /** @see flow-admin-api.md §5.3 (capture, microsoft/coe-starter-kit#5026). */
  connectionNotShared: (source: string, connectionId: string, callerId: string) =>
    new GatewayError(403, {
      status: 403,
      source,
      message: `Error from token exchange: Permission denied due to missing connection ACL: Connection ${connectionId} is not shared with the caller '${callerId}'. Connections of this connector are not shareable.`,
    }),
  // EMULATOR: inferred from the token-exchange shape above; the real text for an unknown id is not captured.
  connectionNotFound: (source: string, connectionId: string) =>
    new GatewayError(403, {
      status: 403,
      source,
      message: `Error from token exchange: The connection '${connectionId}' was not found.`,
    }),
}

// --- Control plane: connections

export const connectionErrors = {
  exists: (id: string) => new ServiceError(409, 'ConnectionExists', `A connection '${id}' exists already.`),
  notFound: (id: string) => new ServiceError(404, 'ConnectionNotFound', `No connection '${id}' exists.`),
  invalid: (detail: string) => new ServiceError(400, 'InvalidConnection', detail),
}
