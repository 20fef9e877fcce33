import type { FlowState } from '../../schemas/flow.ts'
import type { Db } from '../open.ts'
import { keyOf, type ChangeWatch } from './unchanged-memo.ts'

export interface FlowRow {
  environment: string
  name: string
  display_name: string
  state: FlowState
  created_time: string
  last_modified_time: string
  creator_id: string
  creator_type: 'User' | 'ServicePrincipal'
  /** Set while the flow is soft-deleted (restorable); NULL for a live flow. */
  deleted_time: string | null
}

export interface FlowRunRow {
  environment: string
  flow: string
  name: string
  status: string
  start_time: string
  /** Null while the run is running. */
  end_time: string | null
  trigger_name: string
  /** The trigger's outputs, JSON. */
  trigger_outputs: string
}

export function createFlowsRepository(db: Db, watch: ChangeWatch) {
  const byName = db.prepare<{ environment: string; name: string }, FlowRow>(
    'SELECT * FROM flows WHERE environment = @environment AND name = @name AND deleted_time IS NULL',
  )
  const deletedByName = db.prepare<{ environment: string; name: string; cutoff: string }, FlowRow>(
    'SELECT * FROM flows WHERE environment = @environment AND name = @name AND deleted_time >= @cutoff',
  )
  // Keyset pagination on the primary key: every page is an index range, whatever the table size.
  const page = db.prepare<{ environment: string; after: string; limit: number }, FlowRow>(
    'SELECT * FROM flows WHERE environment = @environment AND name > @after AND deleted_time IS NULL ORDER BY name LIMIT @limit',
  )
  const pageWithDeleted = db.prepare<
    { environment: string; after: string; limit: number; cutoff: string },
    FlowRow
  >(
    `SELECT * FROM flows WHERE environment = @environment AND name > @after
       AND (deleted_time IS NULL OR deleted_time >= @cutoff) ORDER BY name LIMIT @limit`,
  )
  const ofEnvironment = db.prepare<[string], FlowRow>(
    'SELECT * FROM flows WHERE environment = ? ORDER BY name',
  )
  const setState = db.prepare<{ environment: string; name: string; state: FlowState; modified: string }>(
    'UPDATE flows SET state = @state, last_modified_time = @modified WHERE environment = @environment AND name = @name AND deleted_time IS NULL',
  )
  const softDelete = db.prepare<{ environment: string; name: string; now: string }>(
    'UPDATE flows SET deleted_time = @now WHERE environment = @environment AND name = @name AND deleted_time IS NULL',
  )
  const restore = db.prepare<{ environment: string; name: string; cutoff: string; now: string }>(
    `UPDATE flows SET deleted_time = NULL, state = 'Stopped', last_modified_time = @now
     WHERE environment = @environment AND name = @name AND deleted_time >= @cutoff`,
  )
  const purge = db.prepare<{ environment: string; cutoff: string }>(
    'DELETE FROM flows WHERE environment = @environment AND deleted_time < @cutoff',
  )
  const insert = db.prepare<FlowRow>(
    `INSERT INTO flows (environment, name, display_name, state, created_time, last_modified_time, creator_id, creator_type, deleted_time)
     VALUES (@environment, @name, @display_name, @state, @created_time, @last_modified_time, @creator_id, @creator_type, @deleted_time)`,
  )
  const runsOf = db.prepare<{ environment: string; flow: string }, FlowRunRow>(
    'SELECT * FROM flow_runs WHERE environment = @environment AND flow = @flow ORDER BY start_time DESC',
  )
  const runByName = db.prepare<{ environment: string; flow: string; name: string }, FlowRunRow>(
    'SELECT * FROM flow_runs WHERE environment = @environment AND flow = @flow AND name = @name',
  )
  const insertRun = db.prepare<FlowRunRow>(
    `INSERT INTO flow_runs (environment, flow, name, status, start_time, end_time, trigger_name, trigger_outputs)
     VALUES (@environment, @flow, @name, @status, @start_time, @end_time, @trigger_name, @trigger_outputs)`,
  )

  // Every flow call reads its flow.
  const found = watch.memo<Readonly<FlowRow> | undefined>(['flows'])

  return {
    /** A live flow: soft-deleted flows are missing for the eight operations. */
    find: (environment: string, name: string) =>
      found(keyOf(environment, name), () => byName.get({ environment, name })),
    /** A soft-deleted flow still within its retention (deleted at or after `cutoff`). */
    findDeleted: (environment: string, name: string, cutoff: string) =>
      deletedByName.get({ environment, name, cutoff }),
    /** Up to `limit` live flows of the environment whose names sort after `after` ('' for the first page). */
    page: (environment: string, after: string, limit: number) => page.all({ environment, after, limit }),
    /** The same page with the soft-deleted flows still within their retention. */
    pageWithDeleted: (environment: string, after: string, limit: number, cutoff: string) =>
      pageWithDeleted.all({ environment, after, limit, cutoff }),
    /** Every flow, soft-deleted ones included (export). */
    listForEnvironment: (environment: string) => ofEnvironment.all(environment),
    /** Returns false when no such flow exists. */
    setState: (environment: string, name: string, state: FlowState, modified: string) =>
      watch.wrote('flows', () => setState.run({ environment, name, state, modified })).changes > 0,
    /** Soft-deletes a live flow, keeping its permissions and runs; false when there was none. */
    softDelete: (environment: string, name: string, now: string) =>
      softDelete.run({ environment, name, now }).changes > 0,
    /** Brings a soft-deleted flow back, stopped; false when none was within its retention. */
    restore: (environment: string, name: string, cutoff: string, now: string) =>
      restore.run({ environment, name, cutoff, now }).changes > 0,
    /** Removes for good the flows deleted before `cutoff`, with their permissions and runs (ON DELETE CASCADE). */
    purgeDeleted: (environment: string, cutoff: string) => purge.run({ environment, cutoff }).changes,
    insert: (row: FlowRow) => void insert.run(row),
    listRuns: (environment: string, flow: string) => runsOf.all({ environment, flow }),
    findRun: (environment: string, flow: string, name: string) => runByName.get({ environment, flow, name }),
    insertRun: (row: FlowRunRow) => void insertRun.run(row),
  }
}
export type FlowsRepository = ReturnType<typeof createFlowsRepository>
