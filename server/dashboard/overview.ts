import type { FastifyInstance } from 'fastify'

import type { Repositories } from '../../db/repositories/index.ts'
import { FLOW_ADMIN_ROLES } from '../auth/directory-roles.ts'
import { WELL_KNOWN_PUBLIC_CLIENTS } from '../entra/clients.ts'
import { retentionCutoff } from '../flow-api/soft-delete.ts'
import { OVERVIEW_FLOW_LIMIT, type Overview } from '../../schemas/control.ts'

/** Display names of a tenant's principals: users, groups and service principals. */
function principalNames(repos: Repositories, tenantId: string): Map<string, string> {
  const names = new Map<string, string>()
  for (const u of repos.directory.listUsers(tenantId)) names.set(u.object_id, u.display_name)
  for (const g of repos.directory.listGroups(tenantId)) names.set(g.object_id, g.display_name)
  for (const a of repos.directory.listApps(tenantId)) names.set(a.service_principal_id, a.display_name)
  return names
}

/** A flow's roles as GET .../permissions orders them, then those it never lists, marked. */
function permissionsOf(repos: Repositories, environment: string, flow: string, names: Map<string, string>) {
  const visible = repos.permissions.listVisible(environment, flow)
  const shown = new Set(visible.map((p) => p.principal_id))
  const hidden = repos.permissions.listAll(environment, flow).filter((p) => !shown.has(p.principal_id))
  return [...visible, ...hidden].map((p) => ({
    roleName: p.role_name,
    principalId: p.principal_id,
    principalType: p.principal_type,
    displayName: p.display_name ?? names.get(p.principal_id) ?? null,
    hiddenFromApi: !shown.has(p.principal_id),
  }))
}

/** The dashboard's view of the whole emulator, read in one pass. */
export function buildOverview(
  ctx: Pick<FastifyInstance, 'repos' | 'endpoints' | 'about' | 'clock' | 'journal'>,
): Overview {
  const { repos } = ctx
  const endpoints = ctx.endpoints.current()
  const base = endpoints.httpUrl ?? null
  return {
    version: ctx.about.version,
    now: ctx.clock.now().toISOString(),
    journal: { enabled: ctx.journal.enabled() },
    clients: Object.entries(WELL_KNOWN_PUBLIC_CLIENTS).map(([clientId, displayName]) => ({
      clientId,
      displayName,
    })),
    endpoints: {
      httpUrl: base,
      httpsUrl: endpoints.httpsUrl ?? null,
      caCertificateUrl: base && endpoints.caCertificatePath ? `${base}/_emulator/ca.pem` : null,
      proxyUrl: endpoints.proxyUrl ?? null,
    },
    tenants: repos.tenants.list().map((tenant) => {
      const names = principalNames(repos, tenant.id)
      const users = repos.directory.listUsers(tenant.id)
      const admin = users.find((u) => u.roles.some((r) => FLOW_ADMIN_ROLES.includes(r)))
      return {
        id: tenant.id,
        name: tenant.name,
        domain: tenant.domain,
        displayName: tenant.display_name,
        admin: admin?.upn ?? null,
        users: users.map((u) => ({
          objectId: u.object_id,
          upn: u.upn,
          displayName: u.display_name,
          password: u.password,
          roles: u.roles,
        })),
        apps: repos.directory.listApps(tenant.id).map((a) => ({
          clientId: a.client_id,
          servicePrincipalId: a.service_principal_id,
          displayName: a.display_name,
          secret: a.secrets[0] ?? null,
          managementApplication: a.management_application,
        })),
        connections: repos.connections
          .list(tenant.id)
          .map((c) => ({ id: c.id, authType: c.auth_type, owner: c.owner_id })),
        environments: repos.environments.listForTenant(tenant.id).map((env) => {
          const cutoff = retentionCutoff(ctx.clock.now())
          const flows = repos.flows.pageWithDeleted(env.name, '', OVERVIEW_FLOW_LIMIT + 1, cutoff)
          return {
            name: env.name,
            displayName: env.display_name,
            isDefault: env.is_default === 1,
            flowsTruncated: flows.length > OVERVIEW_FLOW_LIMIT,
            flows: flows.slice(0, OVERVIEW_FLOW_LIMIT).map((flow) => ({
              name: flow.name,
              displayName: flow.display_name,
              state: flow.state,
              lastModifiedTime: flow.last_modified_time,
              deletedTime: flow.deleted_time,
              permissions: permissionsOf(repos, env.name, flow.name, names),
            })),
          }
        }),
        userDetails: repos.userDetails.listForTenant(tenant.id).map((d) => ({
          objectId: d.object_id,
          displayName: names.get(d.object_id) ?? null,
          puid: d.puid,
          isDisallowedForInternalPlans: d.is_disallowed_for_internal_plans === 1,
          consentTime: d.consent_time,
        })),
      }
    }),
  }
}
