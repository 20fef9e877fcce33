import type { TenantsRepository } from '../../db/repositories/tenants.ts'
import { loadSigningKey, type SigningKey } from './signing-keys.ts'

/**
 * The tenants' signing keys, parsed once and kept in memory: minting and verifying a token never
 * parses a PEM or touches the database.
 */
export function createKeyRing(tenants: TenantsRepository) {
  const byKid = new Map<string, SigningKey>()
  const byTenant = new Map<string, SigningKey>()

  let generation = 0
  // The keys as last loaded, by tenant and PEMs: a reset or import brings the same keys back, and
  // parsing and checking them again was most of a reset's time.
  let loaded = new Map<string, SigningKey>()

  function reload(): void {
    generation++
    byKid.clear()
    byTenant.clear()
    const previous = loaded
    loaded = new Map()
    for (const row of tenants.signingKeys()) {
      const id = `${row.tenant_id}\0${row.private_key_pem}\0${row.certificate_pem}`
      const key =
        previous.get(id) ??
        loadSigningKey(row.tenant_id, {
          privateKeyPem: row.private_key_pem,
          certificatePem: row.certificate_pem,
        })
      loaded.set(id, key)
      byKid.set(key.kid, key)
      byTenant.set(row.tenant_id, key)
    }
  }
  reload()

  return {
    byKid: (kid: string) => byKid.get(kid),
    /** By a tenant id in its normal spelling (`normaliseId`). */
    forTenant: (tenantId: string) => byTenant.get(tenantId),
    all: () => [...byTenant.values()],
    /** Changes whenever the key set does, so caches of verified tokens know to forget. */
    generation: () => generation,
    /** Re-reads the keys after the tenant set changed (seeding, import). */
    reload,
  }
}
export type KeyRing = ReturnType<typeof createKeyRing>
