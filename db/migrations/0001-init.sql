-- The emulator's state. Ids are compared case-insensitively (COLLATE NOCASE): the service treats
-- GUIDs without regard to case, and clients send them in either.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE tenants (
  id           TEXT PRIMARY KEY COLLATE NOCASE,
  name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  domain       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL
) STRICT;

CREATE TABLE signing_keys (
  tenant_id        TEXT PRIMARY KEY COLLATE NOCASE REFERENCES tenants(id) ON DELETE CASCADE,
  kid              TEXT NOT NULL UNIQUE,
  private_key_pem  TEXT NOT NULL,
  certificate_pem  TEXT NOT NULL
) STRICT;

CREATE TABLE users (
  object_id    TEXT PRIMARY KEY COLLATE NOCASE,
  tenant_id    TEXT NOT NULL COLLATE NOCASE REFERENCES tenants(id) ON DELETE CASCADE,
  upn          TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  given_name   TEXT,
  surname      TEXT,
  mail         TEXT,
  password     TEXT NOT NULL,
  roles        TEXT NOT NULL DEFAULT '[]' -- JSON array of DirectoryRole names
) STRICT;
CREATE INDEX users_tenant ON users(tenant_id);

CREATE TABLE groups (
  object_id    TEXT PRIMARY KEY COLLATE NOCASE,
  tenant_id    TEXT NOT NULL COLLATE NOCASE REFERENCES tenants(id) ON DELETE CASCADE,
  display_name TEXT NOT NULL
) STRICT;
CREATE INDEX groups_tenant ON groups(tenant_id);

CREATE TABLE apps (
  tenant_id              TEXT NOT NULL COLLATE NOCASE REFERENCES tenants(id) ON DELETE CASCADE,
  client_id              TEXT NOT NULL COLLATE NOCASE,
  display_name           TEXT NOT NULL,
  service_principal_id   TEXT NOT NULL UNIQUE COLLATE NOCASE,
  secrets                TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
  certificates           TEXT NOT NULL DEFAULT '[]', -- JSON array of PEM certificates
  management_application INTEGER NOT NULL CHECK (management_application IN (0, 1)),
  PRIMARY KEY (tenant_id, client_id)
) STRICT;

CREATE TABLE environments (
  name         TEXT PRIMARY KEY COLLATE NOCASE,
  tenant_id    TEXT NOT NULL COLLATE NOCASE REFERENCES tenants(id) ON DELETE CASCADE,
  display_name TEXT NOT NULL,
  is_default   INTEGER NOT NULL CHECK (is_default IN (0, 1)),
  location     TEXT NOT NULL,
  created_time TEXT NOT NULL
) STRICT;
CREATE INDEX environments_tenant ON environments(tenant_id);

CREATE TABLE flows (
  environment        TEXT NOT NULL COLLATE NOCASE REFERENCES environments(name) ON DELETE CASCADE,
  name               TEXT NOT NULL COLLATE NOCASE,
  display_name       TEXT NOT NULL,
  state              TEXT NOT NULL CHECK (state IN ('Started', 'Stopped', 'Suspended')),
  created_time       TEXT NOT NULL,
  last_modified_time TEXT NOT NULL,
  creator_id         TEXT NOT NULL COLLATE NOCASE,
  creator_type       TEXT NOT NULL CHECK (creator_type IN ('User', 'ServicePrincipal')),
  PRIMARY KEY (environment, name)
) STRICT;

CREATE TABLE flow_permissions (
  environment    TEXT NOT NULL COLLATE NOCASE,
  flow           TEXT NOT NULL COLLATE NOCASE,
  principal_id   TEXT NOT NULL COLLATE NOCASE,
  principal_type TEXT NOT NULL CHECK (principal_type IN ('User', 'Group', 'ServicePrincipal')),
  role_name      TEXT NOT NULL CHECK (role_name IN ('Owner', 'CanEdit', 'CanViewWithShare', 'CanView')),
  email          TEXT,
  display_name   TEXT,
  PRIMARY KEY (environment, flow, principal_id),
  FOREIGN KEY (environment, flow) REFERENCES flows(environment, name) ON DELETE CASCADE
) STRICT;
-- Answers "which flows does this user own" (DELETE user details) without a scan.
CREATE INDEX flow_permissions_principal ON flow_permissions(principal_id, role_name);

CREATE TABLE flow_runs (
  environment TEXT NOT NULL COLLATE NOCASE,
  flow        TEXT NOT NULL COLLATE NOCASE,
  name        TEXT NOT NULL,
  status      TEXT NOT NULL,
  start_time  TEXT NOT NULL,
  PRIMARY KEY (environment, flow, name),
  FOREIGN KEY (environment, flow) REFERENCES flows(environment, name) ON DELETE CASCADE
) STRICT;

CREATE TABLE user_details (
  tenant_id                          TEXT NOT NULL COLLATE NOCASE REFERENCES tenants(id) ON DELETE CASCADE,
  object_id                          TEXT NOT NULL COLLATE NOCASE,
  puid                               TEXT NOT NULL,
  is_disallowed_for_internal_plans   INTEGER NOT NULL CHECK (is_disallowed_for_internal_plans IN (0, 1)),
  consent_time                       TEXT NOT NULL,
  service_settings_selection_time    TEXT NOT NULL,
  consent_business_app_platform_time TEXT NOT NULL,
  PRIMARY KEY (tenant_id, object_id)
) STRICT;

CREATE TABLE approvals (
  environment  TEXT NOT NULL COLLATE NOCASE REFERENCES environments(name) ON DELETE CASCADE,
  name         TEXT NOT NULL COLLATE NOCASE,
  user_id      TEXT NOT NULL COLLATE NOCASE,
  title        TEXT NOT NULL,
  created_time TEXT NOT NULL,
  PRIMARY KEY (environment, name)
) STRICT;
CREATE INDEX approvals_user ON approvals(environment, user_id);
