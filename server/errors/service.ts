/**
 * The Flow admin API's errors. The single error handler (plugins/error-handler.ts) renders a
 * ServiceError as the service's envelope `{"error":{"code","message"}}` (flow-admin-api.md §3).
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
      // EMULATOR: the real service leaves the reason empty ("Authentication failed. "); saying why
      // the token was refused is what a developer needs, and the code and header stay the same.
      `Authentication failed. ${detail}`,
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
  // EMULATOR: inferred from Logic Apps, which runs flows: the Flow RP's answer for an unknown run is not captured.
  flowRunNotFound: (run: string) =>
    new ServiceError(404, 'WorkflowRunNotFound', `The workflow run '${run}' could not be found.`),
  // EMULATOR: inferred from Logic Apps' signed content links (sig, se); the codes are not captured.
  invalidContentSignature: () =>
    new ServiceError(
      403,
      'DirectApiInvalidAuthorizationSignature',
      'The provided authorization signature is not valid.',
    ),
  contentLinkExpired: () =>
    new ServiceError(403, 'DirectApiAuthorizationExpired', 'The provided authorization has expired.'),
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
  invalidApiVersion: (given: string, supported: readonly string[]) =>
    new ServiceError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${given}' is invalid. The supported versions are '${supported.join(',')}'.`,
    ),
  // EMULATOR: ARM's code; ARM names its supported versions, the emulator accepts any dated one.
  invalidArmApiVersion: (given: string) =>
    new ServiceError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${given}' is invalid. The supported versions are dated, such as '2022-12-01'.`,
    ),
  // EMULATOR: the code is ARM's for a malformed body; the message names the field and the problem.
  invalidRequestContent: (detail: string) =>
    new ServiceError(
      400,
      'InvalidRequestContent',
      `The request content was invalid and could not be deserialized: ${detail}`,
    ),
  /**
   * The control plane is the emulator's own API: a body that parses but breaks its schema says
   * what is wrong, without ARM's "could not be deserialized", which is kept for unreadable JSON.
   */
  invalidControlRequest: (detail: string) =>
    new ServiceError(400, 'InvalidRequestContent', `The request is invalid: ${detail}`),
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
  // EMULATOR: the emulator's own timeouts (--headers-timeout, --request-timeout).
  requestTimeout: () =>
    new ServiceError(
      408,
      'RequestTimeout',
      'The request was not received in time (--headers-timeout, --request-timeout).',
    ),
  headersTooLarge: () =>
    new ServiceError(431, 'RequestHeaderFieldsTooLarge', 'The request headers are larger than 16 KiB.'),
  /** Never exposes internals: the full error is logged, not sent. */
  internal: () => new ServiceError(500, 'InternalServerError', 'The server encountered an internal error.'),
}
