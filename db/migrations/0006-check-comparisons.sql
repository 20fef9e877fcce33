-- The same constraints, written as comparisons. SQLite checks `x IN (a, b, c)`, a list of
-- three or more values, by building a temporary b-tree of the list each time a statement runs
-- (EXPLAIN shows OpenEphemeral): four per modifyPermissions upsert, which made up more than half of
-- the statement's time. `x = a OR x = b OR x = c` checks the same with no b-tree.
-- SQLite cannot change a CHECK in place, so each table is rebuilt as SQLite's documentation says
-- (https://www.sqlite.org/lang_altertable.html#otheralter): migrate.ts runs this with foreign keys
-- off and checks them before committing, so dropping the old table cascades to nothing.

CREATE TABLE flows_rebuilt (
  environment        TEXT NOT NULL COLLATE NOCASE REFERENCES environments(name) ON DELETE CASCADE,
  name               TEXT NOT NULL COLLATE NOCASE,
  display_name       TEXT NOT NULL,
  state              TEXT NOT NULL CHECK (state = 'Started' OR state = 'Stopped' OR state = 'Suspended'),
  created_time       TEXT NOT NULL,
  last_modified_time TEXT NOT NULL,
  creator_id         TEXT NOT NULL COLLATE NOCASE,
  creator_type       TEXT NOT NULL CHECK (creator_type IN ('User', 'ServicePrincipal')),
  deleted_time       TEXT,
  PRIMARY KEY (environment, name)
) STRICT;
INSERT INTO flows_rebuilt (environment, name, display_name, state, created_time, last_modified_time,
                           creator_id, creator_type, deleted_time)
  SELECT environment, name, display_name, state, created_time, last_modified_time,
         creator_id, creator_type, deleted_time FROM flows;
DROP TABLE flows;
ALTER TABLE flows_rebuilt RENAME TO flows;

CREATE TABLE flow_permissions_rebuilt (
  environment    TEXT NOT NULL COLLATE NOCASE,
  flow           TEXT NOT NULL COLLATE NOCASE,
  principal_id   TEXT NOT NULL COLLATE NOCASE,
  principal_type TEXT NOT NULL
    CHECK (principal_type = 'User' OR principal_type = 'Group' OR principal_type = 'ServicePrincipal'),
  role_name      TEXT NOT NULL
    CHECK (role_name = 'Owner' OR role_name = 'CanEdit' OR role_name = 'CanViewWithShare' OR role_name = 'CanView'),
  email          TEXT,
  display_name   TEXT,
  PRIMARY KEY (environment, flow, principal_id),
  FOREIGN KEY (environment, flow) REFERENCES flows(environment, name) ON DELETE CASCADE
) STRICT;
INSERT INTO flow_permissions_rebuilt (environment, flow, principal_id, principal_type, role_name, email, display_name)
  SELECT environment, flow, principal_id, principal_type, role_name, email, display_name FROM flow_permissions;
DROP TABLE flow_permissions;
ALTER TABLE flow_permissions_rebuilt RENAME TO flow_permissions;
CREATE INDEX flow_permissions_owner ON flow_permissions(principal_id) WHERE role_name = 'Owner';

CREATE TABLE oauth_grants_rebuilt (
  kind       TEXT NOT NULL
    CHECK (kind = 'code' OR kind = 'device' OR kind = 'user_code' OR kind = 'refresh' OR kind = 'jti'),
  id         TEXT NOT NULL,
  tenant_id  TEXT COLLATE NOCASE REFERENCES tenants(id) ON DELETE CASCADE, -- null: not yet known (/common)
  data       TEXT NOT NULL, -- JSON
  expires_at INTEGER NOT NULL, -- epoch seconds
  PRIMARY KEY (kind, id)
) STRICT;
INSERT INTO oauth_grants_rebuilt (kind, id, tenant_id, data, expires_at)
  SELECT kind, id, tenant_id, data, expires_at FROM oauth_grants;
DROP TABLE oauth_grants;
ALTER TABLE oauth_grants_rebuilt RENAME TO oauth_grants;
CREATE INDEX oauth_grants_expiry ON oauth_grants(expires_at);
CREATE INDEX oauth_grants_tenant ON oauth_grants(tenant_id);
