import { Type, type Static } from 'typebox'

import { FlowTimestamp } from './common.ts'

const Correlation = Type.Object({ clientTrackingId: Type.String() })

/**
 * A flow run as `GET .../flows/{flow}/runs` lists it (the shape of the CLI for Microsoft 365's
 * `flow run list` fixtures; it reads `name`, `properties.startTime` and `properties.status`).
 */
export const FlowRun = Type.Object(
  {
    name: Type.String(),
    id: Type.String(),
    type: Type.Literal('Microsoft.ProcessSimple/environments/flows/runs'),
    properties: Type.Object({
      startTime: FlowTimestamp,
      status: Type.String(),
      correlation: Correlation,
      trigger: Type.Object({
        name: Type.String(),
        startTime: FlowTimestamp,
        correlation: Correlation,
        status: Type.String(),
      }),
    }),
  },
  { description: 'A run of the flow' },
)
export type FlowRun = Static<typeof FlowRun>

export const FlowRunList = Type.Object(
  { value: Type.Array(FlowRun) },
  { description: "The flow's runs, newest first" },
)
