import type { Overview, Tenant } from '../../../schemas/control.ts'

/**
 * Names for the ids the API and the journal carry: users by UPN, apps and groups by display name,
 * a caller as "UPN · app", a connection by its owner. An id nobody knows stays an id.
 */
export interface Names {
  principal(objectId: string | null): string | null
  client(clientId: string | null): string | null
  caller(principal: string | null, client: string | null): string | null
  /** A journal or throttle connection: a connector connection id, or a `caller:` key. */
  connection(key: string | null): string | null
  tenant(id: string | null): string | null
  /** The id of the tenant a journal entry names (by id, domain or short name), if it is one we know. */
  tenantId(name: string | null): string | undefined
}

const CALLER_KEY = /^caller:([^:]+):([^:]+):([^:]+)$/

export function createNames(overview: Overview | undefined): Names {
  const principals = new Map<string, string>()
  const clients = new Map<string, string>()
  const tenants = new Map<string, Tenant>()
  const connections = new Map<string, { owner: string; authType: string }>()
  for (const c of overview?.clients ?? []) clients.set(c.clientId.toLowerCase(), c.displayName)
  for (const t of overview?.tenants ?? []) {
    // Entra's URLs name a tenant by id, domain or short name; the journal keeps what the URL said.
    for (const key of [t.id, t.domain, t.name]) tenants.set(key.toLowerCase(), t)
    for (const u of t.users) principals.set(u.objectId.toLowerCase(), u.upn)
    for (const a of t.apps) {
      principals.set(a.servicePrincipalId.toLowerCase(), a.displayName)
      clients.set(a.clientId.toLowerCase(), a.displayName)
    }
    for (const e of t.environments)
      for (const f of e.flows)
        for (const p of f.permissions) {
          const id = p.principalId.toLowerCase()
          if (!principals.has(id) && p.displayName) principals.set(id, p.displayName)
        }
    for (const c of t.connections) connections.set(c.id, { owner: c.owner, authType: c.authType })
  }
  const principal = (id: string | null) => (id ? (principals.get(id.toLowerCase()) ?? id) : null)
  const client = (id: string | null) => (id ? (clients.get(id.toLowerCase()) ?? id) : null)
  const caller = (p: string | null, c: string | null) => {
    const parts = [principal(p), client(c)].filter((x): x is string => x !== null)
    // An app-only caller is its own app: "Contoso automation · Contoso automation" says it twice.
    return parts.length === 0 ? null : [...new Set(parts)].join(' · ')
  }
  return {
    principal,
    client,
    caller,
    connection(key) {
      if (key === null) return null
      const match = CALLER_KEY.exec(key)
      if (match) return caller(match[2]!, match[3]!)
      const known = connections.get(key)
      return known ? `${principal(known.owner)} · ${known.authType} connection` : key
    },
    tenant: (id) => (id ? (tenants.get(id.toLowerCase())?.displayName ?? id) : null),
    tenantId: (name) => (name ? tenants.get(name.toLowerCase())?.id : undefined),
  }
}
