-- Azure subscriptions of a tenant, as ARM's GET /subscriptions lists them (az login reads them).
-- A subscription id is unique across tenants, as in Azure. CHECKs compare with OR, not IN (0006).
CREATE TABLE subscriptions (
  subscription_id        TEXT PRIMARY KEY COLLATE NOCASE,
  tenant_id              TEXT NOT NULL COLLATE NOCASE REFERENCES tenants(id) ON DELETE CASCADE,
  display_name           TEXT NOT NULL,
  state                  TEXT NOT NULL CHECK (
    state = 'Enabled' OR state = 'Warned' OR state = 'PastDue' OR state = 'Disabled' OR state = 'Deleted'
  ),
  tags                   TEXT NOT NULL DEFAULT '{}', -- JSON object of string values
  location_placement_id  TEXT NOT NULL,
  quota_id               TEXT NOT NULL,
  spending_limit         TEXT NOT NULL CHECK (
    spending_limit = 'On' OR spending_limit = 'Off' OR spending_limit = 'CurrentPeriodOff'
  )
) STRICT;
CREATE INDEX subscriptions_tenant ON subscriptions(tenant_id, display_name);
