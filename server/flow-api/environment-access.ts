import type { EnvironmentRow } from '../../db/repositories/environments.ts'
import type { FlowRow } from '../../db/repositories/flows.ts'
import type { Repositories } from '../../db/repositories/index.ts'
import type { Caller } from '../auth/token-verifier.ts'
import { errors } from '../errors/index.ts'

/**
 * The environment a caller names, in the caller's tenant. `~default` is the tenant's default
 * environment (flow-admin-api.md §1.2). An environment of another tenant is as absent as one that
 * does not exist: both are 403 EnvironmentAccessDenied, so nothing leaks across tenants.
 */
export function resolveEnvironment(repos: Repositories, caller: Caller, environment: string): EnvironmentRow {
  const name = environment.toLowerCase() === '~default' ? `Default-${caller.tenantId}` : environment
  const row = repos.environments.findByName(name)
  if (!row || row.tenant_id !== caller.tenantId) throw errors.environmentAccessDenied(environment)
  return row
}

/** The flow in that environment, or 404 FlowNotFound naming the flow as the client wrote it. */
export function requireFlow(repos: Repositories, env: EnvironmentRow, flow: string): FlowRow {
  const row = repos.flows.find(env.name, flow)
  if (!row) throw errors.flowNotFound(flow)
  return row
}
