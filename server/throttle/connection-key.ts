/**
 * What a call counts against, as one string per connection: `connection:<id>` on the connector
 * surface; on the Flow API, where there is no connection id, the caller's identity (tenant,
 * principal and client app). The only place that knows the format.
 */
export const connectorKey = (connectionId: string) => `connection:${connectionId}`

type CallerIdentity = { readonly tenantId: string; readonly objectId: string; readonly clientId: string }

/** The key of a Flow API call, made afresh from the caller's identity on every call. */
export const callerKey = (caller: CallerIdentity): string =>
  `caller:${caller.tenantId}:${caller.objectId}:${caller.clientId}`

/** Whether a key is the connection of a call made by someone of `tenantId` on the Flow API. */
export const isCallerKeyOfTenant = (key: string, tenantId: string) => key.startsWith(`caller:${tenantId}:`)

/** How the journal, fault rules and the control plane name it: the bare connection id, or the caller key. */
export const connectionName = (key: string) =>
  key.startsWith('connection:') ? key.slice('connection:'.length) : key
