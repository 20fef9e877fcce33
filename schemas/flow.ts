import { Type, type Static } from 'typebox'

import { FlowTimestamp } from './common.ts'

export const FlowState = Type.Enum(['Started', 'Stopped', 'Suspended'])
export type FlowState = Static<typeof FlowState>
/** What a list with `include=softDeletedFlows` shows for a soft-deleted flow (the CLI for M365 and PnP filter on it). */
export const ListedFlowState = Type.Enum(['Started', 'Stopped', 'Suspended', 'Deleted'])

/** The flow object as the service returns it (flow-admin-api.md §2.2). */
export const Flow = Type.Object(
  {
    name: Type.String(),
    id: Type.String(),
    type: Type.Literal('Microsoft.ProcessSimple/environments/flows'),
    properties: Type.Object({
      apiId: Type.String(),
      displayName: Type.String(),
      userType: Type.String(),
      state: ListedFlowState,
      plan: Type.String(),
      createdTime: FlowTimestamp,
      lastModifiedTime: FlowTimestamp,
      flowSuspensionReason: Type.String(),
      environment: Type.Object({ name: Type.String(), type: Type.String(), id: Type.String() }),
      creator: Type.Object({
        tenantId: Type.String(),
        objectId: Type.String(),
        userId: Type.String(),
        userType: Type.String(),
      }),
      provisioningMethod: Type.String(),
      flowFailureAlertSubscribed: Type.Boolean(),
      isManaged: Type.Boolean(),
      installationStatus: Type.String(),
      definitionSummary: Type.Optional(
        Type.Object(
          {
            triggers: Type.Array(Type.Object({}, { additionalProperties: true })),
            actions: Type.Array(Type.Object({}, { additionalProperties: true })),
            description: Type.String(),
          },
          {
            description: 'On GET of one flow: what the definition holds (the emulator models no definitions)',
          },
        ),
      ),
    }),
  },
  { description: 'A flow' },
)
export type Flow = Static<typeof Flow>

export const FlowList = Type.Object(
  {
    value: Type.Array(Flow),
    nextLink: Type.Optional(
      Type.String({ description: 'Absolute URL of the next page; absent on the last page' }),
    ),
  },
  { description: 'A page of flows' },
)

export const FlowListQuery = Type.Object(
  {
    'api-version': Type.Optional(Type.String({ maxLength: 64 })),
    $top: Type.Optional(Type.Integer({ minimum: 1, maximum: 250, description: 'Page size (default 50)' })),
    $skiptoken: Type.Optional(
      Type.String({ maxLength: 512, description: 'Continuation token from nextLink' }),
    ),
    include: Type.Optional(
      Type.Enum(['softDeletedFlows'], {
        description: 'softDeletedFlows: list the soft-deleted flows too, with state Deleted (V2 list)',
      }),
    ),
  },
  { additionalProperties: true },
)
