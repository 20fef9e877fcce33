import { hostNotAllowedMessage } from './control.ts'
/**
 * Microsoft Entra ID's errors (token, authorize and device endpoints).
 *
 * Entra answers in its own shape, `{error, error_description: "AADSTSnnnn: ...", error_codes,
 * timestamp, trace_id, correlation_id}` (entra.md §1.4); `server/entra/respond.ts` renders it.
 * Codes and texts are those of entra.md §1.5; the ones marked [MEM] there are inferred.
 */

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
  // EMULATOR: Entra has no such refusal, and the AADSTS number is the emulator's own.
  hostNotAllowed: (header: 'Host' | 'Origin', value: string) =>
    entra(403, 'invalid_request', 9999999, hostNotAllowedMessage(header, value)),
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
  // The text Entra shows on its sign-in page (AADSTS50011, widely quoted); the OAuth error is inferred.
  redirectUriNotRegistered: (uri: string, clientId: string) =>
    entra(
      400,
      'invalid_request',
      50011,
      `The redirect URI '${uri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
    ),
  // The text Entra shows on its sign-in page for an app with no redirect URI; the OAuth error is inferred.
  noReplyAddress: () =>
    entra(400, 'invalid_request', 500113, 'No reply address is registered for the application.'),
  clientMismatch: () => entra(400, 'invalid_grant', 70000, 'The grant was issued to another client.'),
}
