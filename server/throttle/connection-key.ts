/**
 * What a call counts against, as one string per connection: `connection:<id>` on the connector
 * surface; on the Flow API, where there is no connection id, the caller's identity (tenant,
 * principal and client app). The only place that knows the format.
 */
export const connectorKey = (connectionId: string) => `connection:${connectionId}`

type CallerIdentity = { readonly tenantId: string; readonly objectId: string; readonly clientId: string }
const callerKeys = new WeakMap<CallerIdentity, string>()

/**
 * Made once per caller object: the token verifier hands out the same caller for the same token, so
 * its key is not rebuilt, rehashed by the throttle's map, and copied by the garbage collector on
 * every call.
 */
export const callerKey = (caller: CallerIdentity): string => {
  let key = callerKeys.get(caller)
  if (key === undefined) {
    key = `caller:${caller.tenantId}:${caller.objectId}:${caller.clientId}`
    callerKeys.set(caller, key)
  }
  return key
}

/** Whether a key is the connection of a call made by someone of `tenantId` on the Flow API. */
export const isCallerKeyOfTenant = (key: string, tenantId: string) => key.startsWith(`caller:${tenantId}:`)

/** How the journal, fault rules and the control plane name it: the bare connection id, or the caller key. */
export const connectionName = (key: string) =>
  key.startsWith('connection:') ? key.slice('connection:'.length) : key
