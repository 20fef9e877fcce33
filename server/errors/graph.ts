/**
 * Microsoft Graph's error envelope and the codes the emulated look-ups answer with
 * (https://learn.microsoft.com/graph/errors: `{"error":{"code","message","innerError":{...}}}`).
 */
export class GraphError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'GraphError'
  }
}

export const graphErrors = {
  /**
   * Graph answers every token problem with one code; the message says which. The Flow API's
   * 401s (ARM codes) are reworded as Graph words them. EMULATOR: inferred from Graph's common
   * messages ("Access token is empty.", "Lifetime validation failed, the token is expired.").
   */
  fromFlowAuthError: (flowCode: string, flowMessage: string) => {
    const message =
      {
        ExpiredAuthenticationToken: 'Lifetime validation failed, the token is expired.',
        InvalidAuthenticationTokenAudience: 'Invalid audience.',
        InvalidAuthenticationTokenTenant: 'Invalid issuer or signature.',
      }[flowCode] ??
      (flowMessage.includes("'Authorization' header is missing")
        ? 'Access token is empty.'
        : 'Access token validation failure.')
    return new GraphError(401, 'InvalidAuthenticationToken', message)
  },
  resourceNotFound: (id: string) =>
    new GraphError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    ),
  meNeedsDelegatedToken: () =>
    new GraphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.'),
  // EMULATOR: the emulator understands only `<property> eq '<value>'` filters; Graph knows many more.
  unsupportedQuery: (detail: string) =>
    new GraphError(400, 'Request_UnsupportedQuery', `Unsupported Query. ${detail}`),
  /** Any catalog error raised on a Graph path (bad body, storage), in Graph's words and codes. */
  fromServiceError(service: { statusCode: number; code: string; message: string }): GraphError {
    if (service.statusCode === 401) return graphErrors.fromFlowAuthError(service.code, service.message)
    return new GraphError(
      service.statusCode,
      service.statusCode >= 500 || service.statusCode === 403 ? service.code : 'BadRequest',
      service.message,
    )
  },
  badRequest: (message: string) => new GraphError(400, 'BadRequest', message),
  segmentNotFound: (segment: string) =>
    new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
}
