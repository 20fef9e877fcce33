import { Type, type Static } from 'typebox'

/** A tenant as ARM's `GET /tenants` lists it (the Azure CLI reads `tenantId`, `displayName`, `defaultDomain`). */
export const ArmTenant = Type.Object({
  id: Type.String(),
  tenantId: Type.String(),
  countryCode: Type.String(),
  displayName: Type.String(),
  domains: Type.Array(Type.String()),
  tenantCategory: Type.Literal('Home'),
  defaultDomain: Type.String(),
  tenantType: Type.String(),
})

export const ArmTenantList = Type.Object(
  { value: Type.Array(ArmTenant) },
  { description: "The caller's tenant" },
)

/**
 * A subscription as ARM's `GET /subscriptions` lists it (api-version 2022-12-01); the Azure CLI
 * reads `id`, `subscriptionId`, `displayName`, `state`, `tenantId` and `managedByTenants`.
 * @see https://learn.microsoft.com/rest/api/resources/subscriptions/list
 */
export const ArmSubscription = Type.Object({
  id: Type.String(),
  authorizationSource: Type.String(),
  managedByTenants: Type.Array(Type.Object({ tenantId: Type.String() })),
  tags: Type.Optional(Type.Record(Type.String(), Type.String())),
  subscriptionId: Type.String(),
  tenantId: Type.String(),
  displayName: Type.String(),
  state: Type.String(),
  subscriptionPolicies: Type.Object({
    locationPlacementId: Type.String(),
    quotaId: Type.String(),
    spendingLimit: Type.String(),
  }),
})
export type ArmSubscription = Static<typeof ArmSubscription>

export const ArmSubscriptionList = Type.Object(
  {
    count: Type.Object({ type: Type.Literal('Total'), value: Type.Integer() }),
    value: Type.Array(ArmSubscription),
  },
  { description: "The caller tenant's subscriptions, from the fixtures (none is an empty list)" },
)
