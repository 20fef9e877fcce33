/**
 * The connector gateway's errors (azure-apim.net). Its own failures do not use the service
 * envelope: the throttle answers as Azure API Management does, token-exchange failures as the
 * gateway does (flow-admin-api.md §5.2, §5.3). Backend errors pass through it unchanged.
 */

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
  // EMULATOR: the real gateway creates no connection for an unknown id; the cap is the emulator's.
  autoConnectionLimit: (source: string, connectionId: string, max: number) =>
    new GatewayError(403, {
      status: 403,
      source,
      message: `Error from token exchange: The connection '${connectionId}' was not found, and the tenant has ${max} connections, as many as --max-auto-connections lets unknown connection ids create. Create it through POST /_emulator/connections, or reset the emulator.`,
    }),
}
