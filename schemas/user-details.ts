import { Type, type Static } from 'typebox'

import { FlowTimestamp } from './common.ts'

/** GET .../users/{userId}: the seven fields of the connector's schema (flow-admin-api.md §2.4). */
export const UserDetails = Type.Object(
  {
    tenantId: Type.String(),
    puid: Type.String(),
    objectId: Type.String(),
    isDisallowedForInternalPlans: Type.Boolean(),
    consentTime: FlowTimestamp,
    serviceSettingsSelectionTime: FlowTimestamp,
    consentBusinessAppPlatformTime: FlowTimestamp,
  },
  { additionalProperties: false, description: 'The flow user details of a user' },
)
export type UserDetails = Static<typeof UserDetails>
