-- Short-lived Entra state: authorization codes, device codes, refresh tokens and the `jti`s of
-- client assertions already used. Kept in the database so a restart does not sign anyone out.
CREATE TABLE oauth_grants (
  kind       TEXT NOT NULL CHECK (kind IN ('code', 'device', 'user_code', 'refresh', 'jti')),
  id         TEXT NOT NULL,
  tenant_id  TEXT COLLATE NOCASE REFERENCES tenants(id) ON DELETE CASCADE, -- null: not yet known (/common)
  data       TEXT NOT NULL, -- JSON
  expires_at INTEGER NOT NULL, -- epoch seconds
  PRIMARY KEY (kind, id)
) STRICT;
CREATE INDEX oauth_grants_expiry ON oauth_grants(expires_at);
