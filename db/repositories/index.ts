import type { Db } from '../open.ts'
import { createApprovalsRepository } from './approvals.ts'
import { createConnectionsRepository } from './connections.ts'
import { createDirectoryRepository } from './directory.ts'
import { createEnvironmentsRepository } from './environments.ts'
import { createFlowsRepository } from './flows.ts'
import { createMetaRepository } from './meta.ts'
import { createOAuthGrantsRepository } from './oauth-grants.ts'
import { createPermissionsRepository } from './permissions.ts'
import { createSubscriptionsRepository } from './subscriptions.ts'
import { createTenantsRepository } from './tenants.ts'
import { createUserDetailsRepository } from './user-details.ts'
import { createChangeWatch, type Table } from './unchanged-memo.ts'

/** Every repository over one database; statements are prepared once, here. */
export function createRepositories(db: Db) {
  const watch = createChangeWatch(db)
  // Built once: better-sqlite3 makes five wrapper functions for every db.transaction() call, a
  // cost every write request would otherwise pay.
  const atomically = db.transaction((work: () => unknown) => work())
  return {
    // The declaration build cannot name better-sqlite3's class through the alias without this.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    db: db as Db,
    /** Runs `work` in one transaction, rolled back if it throws (a savepoint when nested). */
    transaction: <T>(work: () => T): T => atomically(work) as T,
    meta: createMetaRepository(db),
    tenants: createTenantsRepository(db),
    directory: createDirectoryRepository(db, watch),
    environments: createEnvironmentsRepository(db, watch),
    flows: createFlowsRepository(db, watch),
    permissions: createPermissionsRepository(db, watch),
    userDetails: createUserDetailsRepository(db),
    approvals: createApprovalsRepository(db),
    grants: createOAuthGrantsRepository(db),
    connections: createConnectionsRepository(db, watch),
    subscriptions: createSubscriptionsRepository(db),
    /**
     * A memo of values derived from the rows of `tables`, valid while they are unchanged (the same
     * rule as the repositories' own: see unchanged-memo.ts), for a service that keeps what it builds.
     */
    unchangedMemo: <V>(tables: readonly Table[]) => watch.memo<V>(tables),
  }
}
export type Repositories = ReturnType<typeof createRepositories>
