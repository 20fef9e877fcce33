-- Indexes for what is looked up, and no more.
-- Only the Owner's rows are ever found by principal (which flows does this user own, for DELETE
-- user details): indexing just them lets granting or revoking any other role write the table
-- alone, not an index entry as well: the write path of modifyPermissions stays short.
DROP INDEX flow_permissions_principal;
CREATE INDEX flow_permissions_owner ON flow_permissions(principal_id) WHERE role_name = 'Owner';
-- Deleting a tenant (reset, DELETE /_emulator/tenants/{id}) cascades to its grants, which
-- without this scanned every grant of every tenant.
CREATE INDEX oauth_grants_tenant ON oauth_grants(tenant_id);
