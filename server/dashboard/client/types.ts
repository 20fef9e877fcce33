/** The shapes the control plane answers (server/dashboard/overview.ts and the control routes). */
export interface Permission {
  roleName: string
  principalId: string
  principalType: string
  displayName: string | null
  hiddenFromApi: boolean
}
export interface Flow {
  name: string
  displayName: string
  state: string
  lastModifiedTime: string
  deletedTime: string | null
  permissions: Permission[]
}
export interface Environment {
  name: string
  displayName: string
  isDefault: boolean
  flowsTruncated: boolean
  flows: Flow[]
}
export interface Tenant {
  id: string
  name: string
  domain: string
  displayName: string
  admin: string | null
  users: { objectId: string; upn: string; displayName: string; password: string; roles: string[] }[]
  apps: {
    clientId: string
    servicePrincipalId: string
    displayName: string
    secret: string | null
    managementApplication: boolean
  }[]
  connections: { id: string; authType: string; owner: string }[]
  environments: Environment[]
  userDetails: {
    objectId: string
    displayName: string | null
    puid: string
    isDisallowedForInternalPlans: boolean
    consentTime: string
  }[]
}
export interface Overview {
  version: string
  now: string
  journal: { enabled: boolean }
  clients: { clientId: string; displayName: string }[]
  endpoints: {
    httpUrl: string | null
    httpsUrl: string | null
    caCertificateUrl: string | null
    proxyUrl: string | null
  }
  tenants: Tenant[]
}
export interface JournalEntry {
  id: string
  time: string
  method: string
  host: string
  path: string
  surface: string
  operationId: string | null
  connection: string | null
  tenant: string | null
  principal: string | null
  client: string | null
  status: number
  durationMs: number
  requestBody: string | null
  requestBodyTruncated: boolean
  responseBody: string | null
  responseBodyTruncated: boolean
  requestHeaders: Record<string, string>
  responseHeaders: Record<string, string>
}
export interface Throttling {
  enabled: boolean
  limit: number
  windowSeconds: number
  countRejected: boolean
  connections: {
    connection: string
    used: number
    remaining: number
    resetSeconds: number
    lastThrottledAt: string | null
  }[]
}
export interface FaultRule {
  id: string
  preset?: string
  operationId?: string
  status?: number
  delayMs?: number
  times?: number
  fired: number
}
export interface Coverage {
  since: string
  operations: {
    operationId: string
    surface: 'flow' | 'connector' | 'entra' | 'graph'
    seen: Record<string, { count: number; injected: number }>
    neverSeen: string[]
  }[]
}
