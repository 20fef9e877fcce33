import { describe, expect, it } from 'vitest'

import { generateSigningKeyPems } from '../../server/auth/signing-keys.ts'
import { sha1Thumbprint } from '../../server/tls/certificates.ts'
import { buildTestApp } from '../helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'

describe('the key ring across resets (a reset does not parse the same keys again)', () => {
  it('keeps the parsed key of a tenant whose key came back unchanged, and tokens minted before stay valid', async () => {
    const t = await buildTestApp()
    const { keys } = t.app
    const before = keys.forTenant(CONTOSO.tenantId)!
    const generation = keys.generation()
    const token = await t.mint({ user: CONTOSO.admin.upn })
    expect((await t.app.inject({ method: 'POST', url: '/_emulator/reset' })).statusCode).toBe(200)
    expect(keys.forTenant(CONTOSO.tenantId)).toBe(before)
    expect(keys.byKid(before.kid)).toBe(before)
    // The set was re-read all the same: caches of verified tokens know to look again.
    expect(keys.generation()).toBeGreaterThan(generation)
    const res = await t.as(token, {
      method: 'GET',
      url: `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/permissions?${API}`,
    })
    expect(res.statusCode).toBe(200)
  })

  it('loads a changed key, under its own kid, and forgets the old one', async () => {
    const t = await buildTestApp()
    const { keys, repos } = t.app
    const before = keys.forTenant(CONTOSO.tenantId)!
    const pems = generateSigningKeyPems('Replacement', new Date('2026-01-01T00:00:00Z'))
    repos.db
      .prepare(
        'UPDATE signing_keys SET kid = ?, private_key_pem = ?, certificate_pem = ? WHERE tenant_id = ?',
      )
      .run(sha1Thumbprint(pems.certificatePem), pems.privateKeyPem, pems.certificatePem, CONTOSO.tenantId)
    keys.reload()
    const after = keys.forTenant(CONTOSO.tenantId)!
    expect(after).not.toBe(before)
    expect(after.kid).toBe(sha1Thumbprint(pems.certificatePem))
    expect(after.kid).not.toBe(before.kid)
    expect(keys.byKid(before.kid)).toBeUndefined()
  })
})
