-- Connections of the connector (flow-admin-api.md §5): who owns each, and how it authenticates.
CREATE TABLE connections (
  id              TEXT PRIMARY KEY,
  tenant_id       TEXT NOT NULL COLLATE NOCASE REFERENCES tenants(id) ON DELETE CASCADE,
  owner_id        TEXT NOT NULL COLLATE NOCASE, -- the principal (user or service principal) that created it
  auth_type       TEXT NOT NULL CHECK (auth_type IN ('firstParty', 'CertOauth')),
  client_id       TEXT COLLATE NOCASE,          -- CertOauth: the app it acts as
  pfx_base64      TEXT,                         -- CertOauth: the certificate, as the connector form takes it
  pfx_password    TEXT,
  created_time    TEXT NOT NULL,
  CHECK ((auth_type = 'CertOauth') = (client_id IS NOT NULL))
) STRICT;
CREATE INDEX connections_tenant ON connections(tenant_id);
