import type { SubscriptionFixture } from '../../schemas/fixture.ts'
import type { Db } from '../open.ts'

type Policies = NonNullable<SubscriptionFixture['subscriptionPolicies']>
interface SubscriptionRowRaw {
  subscription_id: string
  tenant_id: string
  display_name: string
  state: SubscriptionFixture['state']
  tags: string
  location_placement_id: string
  quota_id: string
  spending_limit: NonNullable<Policies['spendingLimit']>
}
export interface SubscriptionRow extends Omit<SubscriptionRowRaw, 'tags'> {
  tags: Record<string, string>
}

const toSubscription = (raw: SubscriptionRowRaw): SubscriptionRow => ({
  ...raw,
  tags: JSON.parse(raw.tags) as Record<string, string>,
})

/** A tenant's Azure subscriptions (ARM's `GET /subscriptions`). */
export function createSubscriptionsRepository(db: Db) {
  const ofTenant = db.prepare<[string], SubscriptionRowRaw>(
    'SELECT * FROM subscriptions WHERE tenant_id = ? ORDER BY display_name, subscription_id',
  )
  const insert = db.prepare<SubscriptionRowRaw>(
    `INSERT INTO subscriptions (subscription_id, tenant_id, display_name, state, tags,
       location_placement_id, quota_id, spending_limit)
     VALUES (@subscription_id, @tenant_id, @display_name, @state, @tags,
       @location_placement_id, @quota_id, @spending_limit)`,
  )
  return {
    listForTenant: (tenantId: string) => ofTenant.all(tenantId).map(toSubscription),
    insert: (row: SubscriptionRow) => void insert.run({ ...row, tags: JSON.stringify(row.tags) }),
  }
}
export type SubscriptionsRepository = ReturnType<typeof createSubscriptionsRepository>
