import type { Repositories } from '../../db/repositories/index.ts'
import type { TenantRow } from '../../db/repositories/tenants.ts'
import type {
  ConnectionFixture,
  EnvironmentFixture,
  FixtureDocument,
  TenantFixture,
} from '../../schemas/fixture.ts'

const optional = <K extends string, V>(key: K, value: V | null): { [P in K]?: V } =>
  (value === null ? {} : { [key]: value }) as { [P in K]?: V }

/** A tenant as a fixture: exactly what `seedFixtures` would write back, signing key included. */
export function exportTenant(repos: Repositories, tenant: TenantRow): TenantFixture {
  const key = repos.tenants.signingKey(tenant.id)
  const environments: EnvironmentFixture[] = repos.environments.listForTenant(tenant.id).map((env) => ({
    name: env.name,
    displayName: env.display_name,
    isDefault: env.is_default === 1,
    location: env.location,
    createdTime: env.created_time,
    flows: repos.flows.listForEnvironment(env.name).map((flow) => {
      const runs = repos.flows.listRuns(env.name, flow.name)
      return {
        name: flow.name,
        displayName: flow.display_name,
        state: flow.state,
        createdTime: flow.created_time,
        lastModifiedTime: flow.last_modified_time,
        creator: { objectId: flow.creator_id, type: flow.creator_type },
        ...optional('deletedTime', flow.deleted_time),
        // The Owner entry is the creator's and is written back from `creator`.
        permissions: repos.permissions
          .listAll(env.name, flow.name)
          .filter((p) => p.role_name !== 'Owner')
          .map((p) => ({
            principalId: p.principal_id,
            principalType: p.principal_type,
            roleName: p.role_name as 'CanView' | 'CanViewWithShare' | 'CanEdit',
            ...optional('email', p.email),
            ...optional('displayName', p.display_name),
          })),
        ...(runs.length > 0
          ? {
              runs: runs.map((r) => ({
                name: r.name,
                status: r.status as 'Succeeded',
                startTime: r.start_time,
                ...optional('endTime', r.end_time),
                trigger: {
                  name: r.trigger_name,
                  outputs: JSON.parse(r.trigger_outputs) as Record<string, unknown>,
                },
              })),
            }
          : {}),
      }
    }),
    approvals: repos.approvals.listForEnvironment(env.name).map((a) => ({
      name: a.name,
      userId: a.user_id,
      title: a.title,
      createdTime: a.created_time,
    })),
  }))
  const connections: ConnectionFixture[] = repos.connections.list(tenant.id).map((c) => ({
    id: c.id,
    owner: c.owner_id,
    authType: c.auth_type,
    ...optional('clientId', c.client_id),
    ...optional('pfxBase64', c.pfx_base64),
    ...optional('password', c.pfx_password),
  }))
  return {
    id: tenant.id,
    name: tenant.name,
    domain: tenant.domain,
    displayName: tenant.display_name,
    ...(key
      ? { signingKey: { privateKeyPem: key.private_key_pem, certificatePem: key.certificate_pem } }
      : {}),
    users: repos.directory.listUsers(tenant.id).map((u) => ({
      objectId: u.object_id,
      userPrincipalName: u.upn,
      displayName: u.display_name,
      ...optional('givenName', u.given_name),
      ...optional('surname', u.surname),
      ...optional('mail', u.mail),
      password: u.password,
      roles: u.roles,
    })),
    groups: repos.directory
      .listGroups(tenant.id)
      .map((g) => ({ objectId: g.object_id, displayName: g.display_name })),
    apps: repos.directory.listApps(tenant.id).map((a) => ({
      clientId: a.client_id,
      displayName: a.display_name,
      servicePrincipalId: a.service_principal_id,
      secrets: a.secrets,
      certificates: a.certificates.map((certificatePem) => ({ certificatePem })),
      managementApplication: a.management_application,
      redirectUris: a.redirect_uris,
    })),
    environments,
    userDetails: repos.userDetails.listForTenant(tenant.id).map((d) => ({
      objectId: d.object_id,
      puid: d.puid,
      isDisallowedForInternalPlans: d.is_disallowed_for_internal_plans === 1,
      consentTime: d.consent_time,
      serviceSettingsSelectionTime: d.service_settings_selection_time,
      consentBusinessAppPlatformTime: d.consent_business_app_platform_time,
    })),
    ...(connections.length > 0 ? { connections } : {}),
    subscriptions: repos.subscriptions.listForTenant(tenant.id).map((s) => ({
      subscriptionId: s.subscription_id,
      displayName: s.display_name,
      state: s.state,
      ...(Object.keys(s.tags).length > 0 ? { tags: s.tags } : {}),
      subscriptionPolicies: {
        locationPlacementId: s.location_placement_id,
        quotaId: s.quota_id,
        spendingLimit: s.spending_limit,
      },
    })),
  }
}

/** The whole state, or one tenant's, in the fixture format. */
export function exportState(repos: Repositories, tenantIds?: string[]): FixtureDocument {
  const tenants = repos.tenants.list().filter((t) => !tenantIds || tenantIds.includes(t.id))
  return {
    description: 'Exported from power-automate-admin-emulator. Signing keys here are TEST-ONLY keys.',
    tenants: tenants.map((t) => exportTenant(repos, t)),
  }
}
