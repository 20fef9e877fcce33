import { createHash } from 'node:crypto'

import type { Repositories } from '../../db/repositories/index.ts'
import { SeedError, seedFixtures } from '../../db/seed.ts'
import type { StatePatch } from '../../schemas/control.ts'
import { normaliseId } from '../../schemas/common.ts'
import type { FixtureDocument, SigningKeyFixture, TenantFixture } from '../../schemas/fixture.ts'
import { FLOW_SERVICE_AUDIENCE } from '../auth/audiences.ts'
import type { KeyRing } from '../auth/key-ring.ts'
import type { Issuers } from '../auth/issuers.ts'
import { AZURE_POWERSHELL_CLIENT_ID, createTokenIssuer, type TokenIssuer } from '../auth/token-issuer.ts'
import { generateSigningKeyPems } from '../auth/signing-keys.ts'
import { toFlowTimestamp, type ControllableClock } from '../clock.ts'
import { buildConnection } from './connection-factory.ts'
import { createCoverage, type Coverage } from '../coverage/coverage.ts'
import { createFaults, type Faults } from '../faults/faults.ts'
import { FixtureError, validateFixtureDocument } from '../fixtures.ts'
import { createJournal, type Journal } from '../journal/journal.ts'
import type { RandomSource } from '../random.ts'
import { connectorKey, isCallerKeyOfTenant } from '../throttle/connection-key.ts'
import {
  createSlidingWindowLimiter,
  type SlidingWindowLimiter,
  type ThrottleSettings,
} from '../throttle/sliding-window.ts'
import { createTraffic, type TrafficCounter } from '../traffic/traffic.ts'
import { newRsaKeyPemAsync, sha1Thumbprint } from '../tls/certificates.ts'
import { certificateOfPfx } from '../tls/pfx.ts'
import { cloneTenant, templateOf } from './clone-tenant.ts'
import { exportState } from './export.ts'
import { mergeFixture } from './merge.ts'

/** What a reset puts back besides the data, and what makes a new tenant's admin token. */
export interface Runtime {
  journal: Journal
  throttle: SlidingWindowLimiter
  /** The throttle settings of start-up, which a full reset restores. */
  startupThrottle: ThrottleSettings
  faults: Faults
  /** Which operation answered which status, since start or the last reset. */
  coverage: Coverage
  /** Requests per minute and error counts since start or the last full reset. */
  traffic: TrafficCounter
  issuer: TokenIssuer
}

/** The runtime parts, made once per app. */
export function createRuntime(deps: {
  keys: KeyRing
  clock: ControllableClock
  random: RandomSource
  issuers: Issuers
  throttle: ThrottleSettings
  journal: { size: number; bodyLimit: number }
}): Runtime {
  const { keys, clock, random, issuers } = deps
  return {
    journal: createJournal(deps.journal),
    throttle: createSlidingWindowLimiter(deps.throttle),
    startupThrottle: deps.throttle,
    faults: createFaults(random),
    coverage: createCoverage(() => clock.now()),
    traffic: createTraffic(() => clock.now()),
    issuer: createTokenIssuer({ keys, clock, random, issuers }),
  }
}

/** The meta key holding the SHA-256 of the fixture document the database was seeded or reset from. */
const SEEDED_FIXTURES = 'seeded_fixtures_sha256'

/**
 * The emulator's data as a whole: seeding, export, import, merge, reset and per-test tenants.
 * Every write replaces whole tenants in one transaction (all or nothing), and keeps each
 * tenant's signing key, so tokens minted before stay valid.
 */
export function createStateService(deps: {
  repos: Repositories
  keys: KeyRing
  clock: ControllableClock
  random: RandomSource
  /** The fixtures loaded at start-up: what reset restores. */
  fixtures: FixtureDocument
  runtime: Runtime
}) {
  const { repos, keys, clock, runtime } = deps
  // What the database was last seeded or reset from, so that a start with other fixtures can say so.
  const fixturesFingerprint = createHash('sha256').update(JSON.stringify(deps.fixtures)).digest('hex')
  const rememberFixtures = () => repos.meta.set(SEEDED_FIXTURES, fixturesFingerprint)
  /** Where each tenant came from, for a reset of one tenant: its fixture, or the copy it was made as. */
  const origins = new Map<string, TenantFixture>(deps.fixtures.tenants.map((t) => [t.id, t]))

  function seed(doc: FixtureDocument, source: string): void {
    try {
      seedFixtures(repos, doc, {
        now: toFlowTimestamp(clock.now()),
        buildConnection,
        generateSigningKey: (tenant) => generateSigningKeyPems(tenant.displayName, clock.now()),
        kidOf: sha1Thumbprint,
        certificateOfPfx: (pfx, password) => certificateOfPfx(Buffer.from(pfx, 'base64'), password),
      })
    } catch (error) {
      if (error instanceof SeedError) throw new FixtureError(`${source}: ${error.message}`)
      throw error
    }
  }

  /**
   * Replaces the tenants named by `scope` (every tenant for `all`) with those of `doc`, keeping the
   * signing key of any tenant that exists now and comes back without one.
   */
  function replace(doc: FixtureDocument, scope: 'all' | string[], source: string): void {
    const existing = repos.tenants.list().filter((t) => scope === 'all' || scope.includes(t.id))
    const savedKeys = new Map<string, SigningKeyFixture>()
    for (const tenant of existing) {
      const key = repos.tenants.signingKey(tenant.id)
      if (key)
        savedKeys.set(tenant.id, {
          privateKeyPem: key.private_key_pem,
          certificatePem: key.certificate_pem,
        })
    }
    const incoming = doc.tenants
      .filter((t) => scope === 'all' || scope.includes(t.id))
      .map((t) => {
        const kept = savedKeys.get(t.id)
        return t.signingKey || !kept ? t : { ...t, signingKey: kept }
      })
    repos.transaction(() => {
      for (const tenant of existing) repos.tenants.remove(tenant.id)
      seed({ tenants: incoming }, source)
    })
    keys.reload()
  }

  /**
   * Everything a reset puts back besides the data: journal, throttle windows, fault rules, coverage,
   * clock, throttle settings; a full reset also restarts the traffic counts.
   */
  function resetRuntime(tenant?: string): void {
    if (tenant === undefined) {
      runtime.journal.clear()
      runtime.throttle.reset()
      runtime.throttle.configure(runtime.startupThrottle)
      runtime.faults.clear()
      runtime.coverage.clear()
      clock.reset()
      runtime.traffic.clear()
      return
    }
    const connections = new Set(repos.connections.list(tenant).map((c) => connectorKey(c.id)))
    runtime.journal.clear((e) => e.tenant === tenant)
    runtime.throttle.reset((key) => connections.has(key) || isCallerKeyOfTenant(key, tenant))
    runtime.faults.clear((r) => r.tenant?.toLowerCase() === tenant)
    runtime.coverage.clear(tenant)
  }

  return {
    /** First start: the fixtures into an empty database. */
    seedInitial(): void {
      seed(deps.fixtures, 'Fixture document')
      repos.meta.set('seeded_at', clock.now().toISOString())
      rememberFixtures()
      keys.reload()
    },
    /**
     * True when the database was seeded (or last reset) from other fixtures than the ones loaded
     * now, which it keeps. Unknown, so false, for a database seeded before this was recorded.
     */
    seededFromOtherFixtures(): boolean {
      const seeded = repos.meta.get(SEEDED_FIXTURES)
      return seeded !== undefined && seeded !== fixturesFingerprint
    },
    export: (tenantIds?: string[]) => exportState(repos, tenantIds),
    /** PUT /_emulator/state: validates, then replaces everything; throttle windows start over. */
    import(document: unknown): void {
      const doc = validateFixtureDocument(document, 'PUT /_emulator/state')
      replace(doc, 'all', 'PUT /_emulator/state')
      runtime.throttle.reset()
    },
    /** PATCH /_emulator/state: merges, validates the result, then replaces the tenants it touches. */
    patch(patch: StatePatch): string[] {
      const merged = validateFixtureDocument(
        mergeFixture(exportState(repos), patch),
        'PATCH /_emulator/state',
      )
      const touched = patch.tenants
        .map(
          (t) => merged.tenants.find((m) => ('id' in t ? m.id === normaliseId(t.id) : m.name === t.name))?.id,
        )
        .filter((id): id is string => id !== undefined)
      replace(merged, touched, 'PATCH /_emulator/state')
      return touched
    },
    /**
     * POST /_emulator/reset: the start-up fixtures again, or one tenant as it was made, with the
     * runtime state that goes with them (resetRuntime). False for a tenant with no origin.
     */
    reset(tenantId?: string): boolean {
      if (tenantId === undefined) {
        replace(deps.fixtures, 'all', 'Fixture document')
        rememberFixtures()
        resetRuntime()
        return true
      }
      const origin = origins.get(tenantId)
      if (!origin) return false
      replace({ tenants: [origin] }, [tenantId], 'Fixture document')
      resetRuntime(tenantId)
      return true
    },
    /** POST /_emulator/tenants: a copy of a template tenant with new ids (the key is generated off the main thread). */
    async createTenant(template: unknown): Promise<TenantFixture | undefined> {
      const source = templateOf(template, deps.fixtures)
      if (!source) return undefined
      // The key is made off the main thread first; numbering and writing then happen without a
      // pause, so tenants created in parallel never take the same number.
      const key = await newRsaKeyPemAsync()
      const prefix = `${source.name}-`
      const taken = repos.tenants
        .list()
        .map((t) => (t.name.startsWith(prefix) ? Number(t.name.slice(prefix.length)) : 0))
        .filter(Number.isInteger)
      const n = Math.max(0, ...taken) + 1
      const signingKey = generateSigningKeyPems(`${source.displayName} ${n}`, clock.now(), key)
      const copy = cloneTenant(source, { n, random: deps.random, signingKey })
      const doc = validateFixtureDocument({ tenants: [copy] }, 'POST /_emulator/tenants')
      repos.transaction(() => seed(doc, 'POST /_emulator/tenants'))
      keys.reload()
      const tenant = doc.tenants[0]!
      origins.set(tenant.id, tenant)
      return tenant
    },
    /** What POST /_emulator/tenants answers: enough for a test to start without another call. */
    describeTenant: (tenant: TenantFixture) => describeTenant(repos, runtime.issuer, tenant),
    deleteTenant(tenantId: string): boolean {
      resetRuntime(tenantId)
      const removed = repos.tenants.remove(tenantId)
      if (removed) {
        origins.delete(tenantId)
        keys.reload()
      }
      return removed
    },
  }
}
export type StateService = ReturnType<typeof createStateService>

async function describeTenant(repos: Repositories, issuer: TokenIssuer, tenant: TenantFixture) {
  const admin = tenant.users.find(
    (u) => u.roles.includes('GlobalAdministrator') || u.roles.includes('PowerPlatformAdministrator'),
  )
  const adminRow = admin && repos.directory.findUser(tenant.id, admin.objectId)
  const adminToken = adminRow
    ? (
        await issuer.forUser({
          tenantId: tenant.id,
          user: adminRow,
          clientId: AZURE_POWERSHELL_CLIENT_ID,
          audience: FLOW_SERVICE_AUDIENCE,
          lifetimeSeconds: 3600,
        })
      ).accessToken
    : null
  return {
    tenantId: tenant.id,
    name: tenant.name,
    domain: tenant.domain,
    defaultEnvironment: tenant.environments.find((e) => e.isDefault)?.name ?? `Default-${tenant.id}`,
    environments: tenant.environments.map((e) => e.name),
    users: tenant.users.map((u) => ({ upn: u.userPrincipalName, objectId: u.objectId, roles: u.roles })),
    apps: tenant.apps.map((a) => ({
      clientId: a.clientId,
      servicePrincipalId: a.servicePrincipalId,
      displayName: a.displayName,
      managementApplication: a.managementApplication,
    })),
    flows: tenant.environments.flatMap((e) =>
      e.flows.map((f) => ({ name: f.name, displayName: f.displayName, environment: e.name, state: f.state })),
    ),
    connections: (tenant.connections ?? []).map((c) => c.id),
    adminToken,
  }
}
