import type { ConnectionRow } from '../../db/repositories/connections.ts'
import type { Repositories } from '../../db/repositories/index.ts'
import type { ConnectionFixture } from '../../schemas/fixture.ts'
import { sha1Thumbprint } from '../tls/certificates.ts'
import { certificateOfPfx } from '../tls/pfx.ts'

/**
 * Builds a connection record from what a user gives (the control plane or a fixture), checking
 * it the way the connector's "create connection" form would: the owner must exist, and a
 * CertOauth connection needs an app of the tenant and a PFX whose certificate the app has
 * registered. Returns the problem as text, or the row.
 */
export function buildConnection(
  repos: Repositories,
  tenantId: string,
  input: ConnectionFixture,
  createdTime: string,
): { row: ConnectionRow } | { problem: string } {
  const owner =
    repos.directory.findUserByUpn(tenantId, input.owner)?.object_id ??
    repos.directory.findUser(tenantId, input.owner)?.object_id ??
    repos.directory.findApp(tenantId, input.owner)?.service_principal_id
  if (!owner) return { problem: `owner '${input.owner}' is no user or application of tenant ${tenantId}` }
  if (input.authType === 'firstParty') {
    if (input.clientId !== undefined || input.pfxBase64 !== undefined) {
      return { problem: 'a firstParty connection takes no clientId or certificate' }
    }
    return { row: row(input, tenantId, owner, createdTime) }
  }
  if (!input.clientId || !input.pfxBase64 || input.password === undefined) {
    return { problem: 'a CertOauth connection needs clientId, pfxBase64 and password' }
  }
  const app = repos.directory.findApp(tenantId, input.clientId)
  if (!app) return { problem: `clientId '${input.clientId}' is no application of tenant ${tenantId}` }
  let certificatePem: string
  try {
    certificatePem = certificateOfPfx(Buffer.from(input.pfxBase64, 'base64'), input.password)
  } catch (error) {
    return { problem: `pfxBase64: ${(error as Error).message}` }
  }
  const thumbprint = sha1Thumbprint(certificatePem)
  if (!app.certificates.some((pem) => sha1Thumbprint(pem) === thumbprint)) {
    return {
      problem: `the certificate in the PFX (${thumbprint}) is not registered on application '${input.clientId}'`,
    }
  }
  return { row: row(input, tenantId, owner, createdTime) }
}

function row(input: ConnectionFixture, tenantId: string, owner: string, createdTime: string): ConnectionRow {
  return {
    id: input.id,
    tenant_id: tenantId,
    owner_id: owner,
    auth_type: input.authType,
    client_id: input.clientId ?? null,
    pfx_base64: input.pfxBase64 ?? null,
    pfx_password: input.password ?? null,
    created_time: createdTime,
  }
}
