import { Type, type Static } from 'typebox'

import { FlowTimestamp } from './common.ts'

/**
 * An environment as `GET /providers/Microsoft.ProcessSimple/environments` lists it (the CLI for
 * Microsoft 365's `flow environment list` and `get` read `name` and `properties.displayName`,
 * `provisioningState`, `environmentSku`, `azureRegionHint`, `isDefault`).
 */
export const Environment = Type.Object(
  {
    name: Type.String(),
    location: Type.String(),
    type: Type.Literal('Microsoft.ProcessSimple/environments'),
    id: Type.String(),
    properties: Type.Object({
      displayName: Type.String(),
      createdTime: FlowTimestamp,
      provisioningState: Type.String(),
      creationType: Type.String(),
      environmentSku: Type.String(),
      environmentType: Type.String(),
      isDefault: Type.Boolean(),
      azureRegionHint: Type.String(),
    }),
  },
  { description: 'A Power Automate environment of the caller tenant' },
)
export type Environment = Static<typeof Environment>

export const EnvironmentList = Type.Object(
  { value: Type.Array(Environment) },
  { description: "The caller tenant's environments, default first" },
)
