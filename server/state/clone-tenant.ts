import type { FixtureDocument, SigningKeyFixture, TenantFixture } from '../../schemas/fixture.ts'
import { GUID_PATTERN } from '../../schemas/common.ts'
import type { RandomSource } from '../random.ts'

const GUID = new RegExp(GUID_PATTERN)

/**
 * A fresh copy of a template tenant for one test: new GUIDs everywhere (consistently, so every
 * reference still points at the same object), the domain `<name>-<n>.onmicrosoft.com`, and its
 * own signing key. Well-known public clients are not tenant objects and keep their ids.
 */
export function cloneTenant(
  template: TenantFixture,
  options: { n: number; random: RandomSource; signingKey: SigningKeyFixture },
): TenantFixture {
  const { n, random } = options
  const tenantId = random.uuid()
  const name = `${template.name}-${n}`
  const domain = `${name}.onmicrosoft.com`
  const ids = new Map<string, string>()
  const map = (id: string) => {
    const key = id.toLowerCase()
    if (!GUID.test(key)) return id
    let mapped = ids.get(key)
    if (!mapped) {
      mapped = random.uuid()
      ids.set(key, mapped)
    }
    return mapped
  }
  const upn = (value: string) => `${value.split('@')[0]}@${domain}`
  const environmentName = (env: { name: string; isDefault: boolean }) =>
    env.isDefault ? `Default-${tenantId}` : map(env.name)
  const owners = new Map(
    template.users.map((u) => [u.userPrincipalName.toLowerCase(), upn(u.userPrincipalName)]),
  )

  return {
    id: tenantId,
    name,
    domain,
    displayName: `${template.displayName} ${n}`,
    signingKey: options.signingKey,
    users: template.users.map((u) => ({
      ...u,
      objectId: map(u.objectId),
      userPrincipalName: upn(u.userPrincipalName),
      ...(u.mail ? { mail: upn(u.mail) } : {}),
    })),
    groups: template.groups.map((g) => ({ ...g, objectId: map(g.objectId) })),
    apps: template.apps.map((a) => ({
      ...a,
      clientId: map(a.clientId),
      servicePrincipalId: map(a.servicePrincipalId),
    })),
    environments: template.environments.map((env) => ({
      ...env,
      name: environmentName(env),
      flows: env.flows.map((flow) => ({
        ...flow,
        name: map(flow.name),
        creator: { ...flow.creator, objectId: map(flow.creator.objectId) },
        permissions: flow.permissions.map((p) => ({
          ...p,
          principalId: map(p.principalId),
          ...(p.email ? { email: upn(p.email) } : {}),
        })),
      })),
      approvals: env.approvals.map((a) => ({ ...a, name: map(a.name), userId: map(a.userId) })),
    })),
    userDetails: template.userDetails.map((d) => ({
      ...d,
      objectId: map(d.objectId),
      puid: Buffer.from(random.token(8), 'base64url').toString('hex').toUpperCase(),
    })),
    ...(template.subscriptions
      ? {
          subscriptions: template.subscriptions.map((s) => ({ ...s, subscriptionId: map(s.subscriptionId) })),
        }
      : {}),
    ...(template.connections
      ? {
          connections: template.connections.map((c) => ({
            ...c,
            id: `${name}-${c.id}`.slice(0, 128),
            owner: owners.get(c.owner.toLowerCase()) ?? map(c.owner),
            ...(c.clientId ? { clientId: map(c.clientId) } : {}),
          })),
        }
      : {}),
  }
}

/** The template a request names: a fixture tenant's short name, a tenant object, or a fixture document (its first tenant). */
export function templateOf(request: unknown, fixtures: FixtureDocument): TenantFixture | undefined {
  if (typeof request === 'string')
    return fixtures.tenants.find((t) => t.name.toLowerCase() === request.toLowerCase())
  if (typeof request === 'object' && request !== null) {
    const tenants = (request as { tenants?: unknown }).tenants
    if (Array.isArray(tenants)) return tenants[0] as TenantFixture | undefined
    return request as TenantFixture
  }
  return undefined
}
