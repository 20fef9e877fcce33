import type { AppRow } from '../../db/repositories/directory.ts'
import type { Repositories } from '../../db/repositories/index.ts'
import { entraErrors } from '../errors/index.ts'

/**
 * Microsoft's first-party public clients that every tenant knows (these are the clients
 * the PowerShell module, the Azure CLI and the CLI for Microsoft 365 sign in with).
 */
export const WELL_KNOWN_PUBLIC_CLIENTS: Readonly<Record<string, string>> = {
  '1950a258-227b-4e31-a9cf-717495945fc2': 'Microsoft Azure PowerShell',
  '04b07795-8ddb-461a-bbee-02f9e1bf7b46': 'Microsoft Azure CLI',
  '31359c7f-bd7e-475c-86db-fdb8c937548e': 'CLI for Microsoft 365',
}

export type Client =
  { kind: 'public'; clientId: string } | { kind: 'confidential'; clientId: string; app: AppRow }

/** The client named by `client_id` in a tenant, or AADSTS700016. */
export function resolveClient(repos: Repositories, tenantId: string, clientId: string): Client {
  const id = clientId.toLowerCase()
  if (WELL_KNOWN_PUBLIC_CLIENTS[id]) return { kind: 'public', clientId: id }
  const app = repos.directory.findApp(tenantId, id)
  if (!app) throw entraErrors.appNotFound(clientId, tenantId)
  return { kind: 'confidential', clientId: id, app }
}
