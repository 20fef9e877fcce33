import { Type } from 'typebox'

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

export const ArmSubscription = Type.Object({
  id: Type.String(),
  subscriptionId: Type.String(),
  tenantId: Type.String(),
  displayName: Type.String(),
  state: Type.String(),
})

export const ArmSubscriptionList = Type.Object(
  {
    count: Type.Object({ type: Type.Literal('Total'), value: Type.Integer() }),
    value: Type.Array(ArmSubscription),
  },
  { description: "The caller tenant's subscriptions: none, the emulator models no Azure subscription" },
)
