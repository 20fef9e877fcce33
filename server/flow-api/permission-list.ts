import type { EnvironmentRow } from '../../db/repositories/environments.ts'
import type { FlowRow } from '../../db/repositories/flows.ts'
import type { Repositories } from '../../db/repositories/index.ts'
import { keyOf } from '../../db/repositories/unchanged-memo.ts'
import { toPermission } from './views.ts'

/**
 * GET permissions' body as JSON text, remembered per flow while its permissions and environments
 * are unchanged (`repos.unchangedMemo`: a flow stopped keeps it; a raw or cascading write anywhere
 * forgets it). Building and serializing the list is most of the route's own work, and remembering
 * the text lets every answer, and the journal entry of each, share one string instead of a copy
 * each.
 */
export function createPermissionListText(repos: Repositories) {
  const remembered = repos.unchangedMemo<string>(['flow_permissions', 'environments'])
  return (env: EnvironmentRow, flow: FlowRow): string =>
    remembered(keyOf(env.name, flow.name), () =>
      JSON.stringify({
        value: repos.permissions.listVisible(env.name, flow.name).map((row) => toPermission(row, env)),
      }),
    )
}
