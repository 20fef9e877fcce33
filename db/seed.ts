import {
  EMPTY_TRIGGER_OUTPUTS,
  SUBSCRIPTION_POLICY_DEFAULTS,
  type ConnectionFixture,
  type FixtureDocument,
  type SigningKeyFixture,
  type TenantFixture,
} from '../schemas/fixture.ts'
import type { ConnectionRow } from './repositories/connections.ts'
import type { Repositories } from './repositories/index.ts'

/** A fixture that passed its schema but cannot be stored; `path` is the JSON path of the problem. */
export class SeedError extends Error {
  override name = 'SeedError'
}

export interface SeedOptions {
  /** When seeding happens, for records whose fixture gives no time. */
  now: string
  /** Checks and builds a connection record (server/connector/connection-factory.ts). */
  buildConnection: (
    repos: Repositories,
    tenantId: string,
    input: ConnectionFixture,
    createdTime: string,
  ) => { row: ConnectionRow } | { problem: string }
  /** Key material for a tenant the document brings none for (generated once, at seeding). */
  generateSigningKey: (tenant: TenantFixture) => SigningKeyFixture
  /** Computes the `kid` of a certificate, so the key table can be looked up by it. */
  kidOf: (certificatePem: string) => string
  /** The certificate (PEM) inside a PFX registered for an app; only the public part is kept. */
  certificateOfPfx: (pfxBase64: string, password: string) => string
}

/**
 * Writes a validated fixture document (its ids decoded to their normal spelling, as
 * `validateFixtureDocument` answers it) into the database in one transaction: all of it or, on any
 * error, none of it. The one seeding path for start-up, tests and (later) reset and import.
 */
export function seedFixtures(repos: Repositories, doc: FixtureDocument, options: SeedOptions): void {
  repos.transaction(() => {
    doc.tenants.forEach((tenant, index) => seedTenant(repos, tenant, index, options))
  })
}

function seedTenant(repos: Repositories, tenant: TenantFixture, index: number, options: SeedOptions): void {
  const tenantId = tenant.id
  repos.tenants.insert({
    id: tenantId,
    name: tenant.name,
    domain: tenant.domain,
    display_name: tenant.displayName,
  })
  const key = tenant.signingKey ?? options.generateSigningKey(tenant)
  repos.tenants.insertSigningKey({
    tenant_id: tenantId,
    kid: options.kidOf(key.certificatePem),
    private_key_pem: key.privateKeyPem,
    certificate_pem: key.certificatePem,
  })
  for (const u of tenant.users) {
    repos.directory.insertUser({
      object_id: u.objectId,
      tenant_id: tenantId,
      upn: u.userPrincipalName,
      display_name: u.displayName,
      given_name: u.givenName ?? null,
      surname: u.surname ?? null,
      mail: u.mail ?? null,
      password: u.password,
      roles: u.roles,
    })
  }
  for (const g of tenant.groups) {
    repos.directory.insertGroup({
      object_id: g.objectId,
      tenant_id: tenantId,
      display_name: g.displayName,
    })
  }
  for (const a of tenant.apps) {
    repos.directory.insertApp({
      tenant_id: tenantId,
      client_id: a.clientId,
      display_name: a.displayName,
      service_principal_id: a.servicePrincipalId,
      secrets: a.secrets,
      certificates: a.certificates.map((c) =>
        'certificatePem' in c ? c.certificatePem : options.certificateOfPfx(c.pfxBase64, c.password),
      ),
      management_application: a.managementApplication,
      redirect_uris: a.redirectUris ?? [],
    })
  }
  for (const env of tenant.environments) {
    repos.environments.insert({
      name: env.name,
      tenant_id: tenantId,
      display_name: env.displayName,
      is_default: env.isDefault ? 1 : 0,
      location: env.location,
      created_time: env.createdTime,
    })
    for (const flow of env.flows) {
      const name = flow.name
      repos.flows.insert({
        environment: env.name,
        name,
        display_name: flow.displayName,
        state: flow.state,
        created_time: flow.createdTime,
        last_modified_time: flow.lastModifiedTime,
        creator_id: flow.creator.objectId,
        creator_type: flow.creator.type,
        deleted_time: flow.deletedTime ?? null,
      })
      repos.permissions.upsert({
        environment: env.name,
        flow: name,
        principal_id: flow.creator.objectId,
        principal_type: flow.creator.type,
        role_name: 'Owner',
        email: null,
        display_name: null,
      })
      for (const p of flow.permissions) {
        repos.permissions.upsert({
          environment: env.name,
          flow: name,
          principal_id: p.principalId,
          principal_type: p.principalType,
          role_name: p.roleName,
          email: p.email ?? null,
          display_name: p.displayName ?? null,
        })
      }
      for (const run of flow.runs ?? []) {
        repos.flows.insertRun({
          environment: env.name,
          flow: name,
          name: run.name,
          status: run.status,
          start_time: run.startTime,
          end_time: run.endTime ?? null,
          trigger_name: run.trigger?.name ?? 'manual',
          trigger_outputs: JSON.stringify(run.trigger?.outputs ?? EMPTY_TRIGGER_OUTPUTS),
        })
      }
    }
    for (const a of env.approvals) {
      repos.approvals.insert({
        environment: env.name,
        name: a.name,
        user_id: a.userId,
        title: a.title,
        created_time: a.createdTime,
      })
    }
  }
  for (const d of tenant.userDetails) {
    repos.userDetails.insert({
      tenant_id: tenantId,
      object_id: d.objectId,
      puid: d.puid,
      is_disallowed_for_internal_plans: d.isDisallowedForInternalPlans ? 1 : 0,
      consent_time: d.consentTime,
      service_settings_selection_time: d.serviceSettingsSelectionTime,
      consent_business_app_platform_time: d.consentBusinessAppPlatformTime,
    })
  }
  for (const s of tenant.subscriptions ?? []) {
    const policies = { ...SUBSCRIPTION_POLICY_DEFAULTS, ...s.subscriptionPolicies }
    repos.subscriptions.insert({
      subscription_id: s.subscriptionId,
      tenant_id: tenantId,
      display_name: s.displayName,
      state: s.state,
      tags: s.tags ?? {},
      location_placement_id: policies.locationPlacementId,
      quota_id: policies.quotaId,
      spending_limit: policies.spendingLimit,
    })
  }
  tenant.connections?.forEach((connection, i) => {
    const built = options.buildConnection(repos, tenantId, connection, options.now)
    if ('problem' in built) throw new SeedError(`/tenants/${index}/connections/${i}: ${built.problem}`)
    if (!repos.connections.insertOrGet(built.row).created) {
      throw new SeedError(`/tenants/${index}/connections/${i}/id: duplicate connection id '${connection.id}'`)
    }
  })
}
