import { entraErrors } from '../../errors/index.ts'
import type { TokenRequest } from '../token-request.ts'
import { appTokenResponse } from '../token-response.ts'

/** `grant_type=client_credentials`: an app-only token for a confidential client (entra.md §1.2). */
export async function clientCredentialsGrant(req: TokenRequest) {
  const tenant = req.specificTenant()
  const { client, appidacr } = await req.authenticate(tenant, req.required('client_id'), { required: true })
  if (client.kind !== 'confidential') throw entraErrors.missingClientCredential()
  const resource = req.resource(tenant)
  if (req.version === 'v2' && !resource.isDefault)
    throw entraErrors.clientCredentialsNeedDefault(req.form['scope'] ?? '')
  return appTokenResponse(req.ctx, { tenant, app: client.app, appidacr, resource, version: req.version })
}
