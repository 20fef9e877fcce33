import type { FlowState } from '../../schemas/flow.ts'
import type { Db } from '../open.ts'

export interface FlowRow {
  environment: string
  name: string
  display_name: string
  state: FlowState
  created_time: string
  last_modified_time: string
  creator_id: string
  creator_type: 'User' | 'ServicePrincipal'
}

export interface FlowRunRow {
  environment: string
  flow: string
  name: string
  status: string
  start_time: string
}

export function createFlowsRepository(db: Db) {
  const byName = db.prepare<{ environment: string; name: string }, FlowRow>(
    'SELECT * FROM flows WHERE environment = @environment AND name = @name',
  )
  // Keyset pagination on the primary key: every page is an index range, whatever the table size.
  const page = db.prepare<{ environment: string; after: string; limit: number }, FlowRow>(
    'SELECT * FROM flows WHERE environment = @environment AND name > @after ORDER BY name LIMIT @limit',
  )
  const ofEnvironment = db.prepare<[string], FlowRow>(
    'SELECT * FROM flows WHERE environment = ? ORDER BY name',
  )
  const setState = db.prepare<{ environment: string; name: string; state: FlowState; modified: string }>(
    'UPDATE flows SET state = @state, last_modified_time = @modified WHERE environment = @environment AND name = @name',
  )
  const remove = db.prepare<{ environment: string; name: string }>(
    'DELETE FROM flows WHERE environment = @environment AND name = @name',
  )
  const insert = db.prepare<FlowRow>(
    `INSERT INTO flows (environment, name, display_name, state, created_time, last_modified_time, creator_id, creator_type)
     VALUES (@environment, @name, @display_name, @state, @created_time, @last_modified_time, @creator_id, @creator_type)`,
  )
  const runsOf = db.prepare<{ environment: string; flow: string }, FlowRunRow>(
    'SELECT * FROM flow_runs WHERE environment = @environment AND flow = @flow ORDER BY start_time DESC',
  )
  const insertRun = db.prepare<FlowRunRow>(
    'INSERT INTO flow_runs (environment, flow, name, status, start_time) VALUES (@environment, @flow, @name, @status, @start_time)',
  )

  return {
    find: (environment: string, name: string) => byName.get({ environment, name }),
    /** Up to `limit` flows of the environment whose names sort after `after` ('' for the first page). */
    page: (environment: string, after: string, limit: number) => page.all({ environment, after, limit }),
    listForEnvironment: (environment: string) => ofEnvironment.all(environment),
    /** Returns false when no such flow exists. */
    setState: (environment: string, name: string, state: FlowState, modified: string) =>
      setState.run({ environment, name, state, modified }).changes > 0,
    /** Removes the flow with its permissions and runs (ON DELETE CASCADE); false when it did not exist. */
    remove: (environment: string, name: string) => remove.run({ environment, name }).changes > 0,
    insert: (row: FlowRow) => void insert.run(row),
    listRuns: (environment: string, flow: string) => runsOf.all({ environment, flow }),
    insertRun: (row: FlowRunRow) => void insertRun.run(row),
  }
}
export type FlowsRepository = ReturnType<typeof createFlowsRepository>
