import { Type, type Static } from 'typebox'

import { FlowTimestamp } from './common.ts'

const Correlation = Type.Object({ clientTrackingId: Type.String() })

/** Where a run's content (a trigger's outputs) is read: a signed link that needs no token. */
export const ContentLink = Type.Object({
  uri: Type.String(),
  contentVersion: Type.String(),
  contentSize: Type.Integer(),
  contentHash: Type.Object({ algorithm: Type.Literal('md5'), value: Type.String() }),
})
export type ContentLink = Static<typeof ContentLink>

/**
 * A flow run as `GET .../flows/{flow}/runs` lists it (the shape of the CLI for Microsoft 365's
 * `flow run list` and `flow run get` fixtures; `run get` reads `properties.startTime`, `endTime`,
 * `status`, `trigger.name` and, with `--withTrigger`, fetches `trigger.outputsLink.uri` without a token).
 */
export const FlowRun = Type.Object(
  {
    name: Type.String(),
    id: Type.String(),
    type: Type.Literal('Microsoft.ProcessSimple/environments/flows/runs'),
    properties: Type.Object({
      startTime: FlowTimestamp,
      endTime: Type.Optional(FlowTimestamp),
      status: Type.String(),
      correlation: Correlation,
      trigger: Type.Object({
        name: Type.String(),
        outputsLink: ContentLink,
        startTime: FlowTimestamp,
        endTime: FlowTimestamp,
        correlation: Correlation,
        code: Type.String(),
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
