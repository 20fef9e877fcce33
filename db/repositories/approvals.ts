import type { Db } from '../open.ts'

export interface ApprovalRow {
  environment: string
  name: string
  user_id: string
  title: string
  created_time: string
}

export function createApprovalsRepository(db: Db) {
  const ofEnvironment = db.prepare<[string], ApprovalRow>(
    'SELECT * FROM approvals WHERE environment = ? ORDER BY name',
  )
  const ofUser = db.prepare<[string, string], ApprovalRow>(
    'SELECT * FROM approvals WHERE environment = ? AND user_id = ? ORDER BY name',
  )
  const insert = db.prepare<ApprovalRow>(
    'INSERT INTO approvals (environment, name, user_id, title, created_time) VALUES (@environment, @name, @user_id, @title, @created_time)',
  )
  const removeForUser = db.prepare<[string, string]>(
    'DELETE FROM approvals WHERE environment = ? AND user_id = ?',
  )
  return {
    listForEnvironment: (environment: string) => ofEnvironment.all(environment),
    listForUser: (environment: string, userId: string) => ofUser.all(environment, userId),
    insert: (row: ApprovalRow) => void insert.run(row),
    /** How many records went. */
    removeForUser: (environment: string, userId: string) => removeForUser.run(environment, userId).changes,
  }
}
export type ApprovalsRepository = ReturnType<typeof createApprovalsRepository>
