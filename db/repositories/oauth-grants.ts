import type { Db } from '../open.ts'

export type GrantKind = 'code' | 'device' | 'user_code' | 'refresh'

interface GrantRow {
  kind: GrantKind
  id: string
  tenant_id: string | null
  data: string
  expires_at: number
}

export interface Grant<T> {
  /** Null while not yet known, for a device code started on /common or /organizations. */
  tenantId: string | null
  data: T
  expiresAt: number
}

/** Entra's short-lived state (codes, refresh tokens, used assertion ids), each with an expiry. */
export function createOAuthGrantsRepository(db: Db) {
  const insert = db.prepare<GrantRow>(
    'INSERT OR IGNORE INTO oauth_grants (kind, id, tenant_id, data, expires_at) VALUES (@kind, @id, @tenant_id, @data, @expires_at)',
  )
  const update = db.prepare<{ kind: GrantKind; id: string; data: string; tenant_id: string | null }>(
    'UPDATE oauth_grants SET data = @data, tenant_id = coalesce(@tenant_id, tenant_id) WHERE kind = @kind AND id = @id',
  )
  const one = db.prepare<{ kind: GrantKind; id: string }, GrantRow>(
    'SELECT * FROM oauth_grants WHERE kind = @kind AND id = @id',
  )
  const remove = db.prepare<{ kind: GrantKind; id: string }>(
    'DELETE FROM oauth_grants WHERE kind = @kind AND id = @id',
  )
  const purge = db.prepare<[number]>('DELETE FROM oauth_grants WHERE expires_at < ?')
  return {
    /** Stores a grant; false when one with that id exists already (a replayed `jti`). */
    add<T>(kind: GrantKind, id: string, grant: Grant<T>): boolean {
      const result = insert.run({
        kind,
        id,
        tenant_id: grant.tenantId,
        data: JSON.stringify(grant.data),
        expires_at: grant.expiresAt,
      }) as { changes: number }
      return result.changes > 0
    },
    find<T>(kind: GrantKind, id: string): Grant<T> | undefined {
      const row = one.get({ kind, id })
      return row && { tenantId: row.tenant_id, data: JSON.parse(row.data) as T, expiresAt: row.expires_at }
    },
    update: <T>(kind: GrantKind, id: string, data: T, tenantId: string | null = null) =>
      void update.run({ kind, id, data: JSON.stringify(data), tenant_id: tenantId }),
    remove: (kind: GrantKind, id: string) => remove.run({ kind, id }).changes > 0,
    /** Drops what expired before `epochSeconds`, so the table stays small. */
    purgeExpired: (epochSeconds: number) => purge.run(epochSeconds).changes,
  }
}
export type OAuthGrantsRepository = ReturnType<typeof createOAuthGrantsRepository>
