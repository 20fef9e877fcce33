import type { FixtureDocument } from '../../schemas/fixture.ts'

type Entity = Record<string, unknown>

/**
 * Upserts `items` into `list`, matching on `key` without regard to case; a match is merged
 * shallowly (`{...existing, ...item}`), so a patch may name only what changes.
 */
function upsert(
  list: Entity[],
  items: unknown,
  key: string,
  mergeNested?: (existing: Entity, item: Entity) => Entity,
): Entity[] {
  if (!Array.isArray(items)) return list
  const result = [...list]
  for (const item of items as Entity[]) {
    const id = typeof item?.[key] === 'string' ? item[key].toLowerCase() : undefined
    const index = id === undefined ? -1 : result.findIndex((e) => String(e[key]).toLowerCase() === id)
    if (index < 0) result.push(item)
    else result[index] = mergeNested ? mergeNested(result[index]!, item) : { ...result[index], ...item }
  }
  return result
}

const ENTITY_KEYS: Record<string, string> = {
  users: 'objectId',
  groups: 'objectId',
  apps: 'clientId',
  userDetails: 'objectId',
  connections: 'id',
  subscriptions: 'subscriptionId',
}

function mergeEnvironment(existing: Entity, patch: Entity): Entity {
  return {
    ...existing,
    ...patch,
    flows: upsert((existing['flows'] as Entity[]) ?? [], patch['flows'], 'name'),
    approvals: upsert((existing['approvals'] as Entity[]) ?? [], patch['approvals'], 'name'),
  }
}

function mergeTenant(existing: Entity, patch: Entity): Entity {
  const merged: Entity = { ...existing, ...patch }
  for (const [field, key] of Object.entries(ENTITY_KEYS)) {
    if (field in patch) merged[field] = upsert((existing[field] as Entity[]) ?? [], patch[field], key)
  }
  if ('environments' in patch) {
    merged['environments'] = upsert(
      (existing['environments'] as Entity[]) ?? [],
      patch['environments'],
      'name',
      mergeEnvironment,
    )
  }
  return merged
}

/**
 * PATCH /_emulator/state: merges a partial fixture document into the current state. Tenants are
 * matched by `id` (or `name`); users, groups, apps, user details, connections and subscriptions by their ids;
 * environments by name, and their flows and approvals by name. Nothing is removed by a patch.
 * The result is validated as a whole before anything is written.
 */
export function mergeFixture(current: FixtureDocument, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || !Array.isArray((patch as Entity)['tenants']))
    return patch
  let tenants: Entity[] = current.tenants
  for (const tenantPatch of (patch as { tenants: Entity[] }).tenants) {
    const key = typeof tenantPatch?.['id'] === 'string' ? 'id' : 'name'
    tenants = upsert(tenants, [tenantPatch], key, mergeTenant)
  }
  return { ...current, tenants }
}
