import { Type, type TObject, type TProperties } from 'typebox'

import { CONNECTION_ID_PATTERN } from '../../schemas/common.ts'

import { SUPPORTED_API_VERSIONS } from './api-version.ts'
import type { ApiVersionRule } from './api-version.ts'

/**
 * The same admin operations are served on two surfaces that differ in how they take
 * `api-version` (flow-admin-api.md §1.1, Appendix A):
 * - `flow`: api.flow.microsoft.com, ARM style, `api-version` required (except on approvals,
 *   which PowerShell calls without one);
 * - `connector`: the connector gateway, `api-version` optional with default `2016-11-01`, and
 *   none at all on the two user-details operations.
 */
export type RouteKind = 'standard' | 'approvals' | 'userDetails'

export interface Surface {
  name: 'flow' | 'connector'
  /** Whether the list and get-flow routes, which are not connector operations, are served. */
  servesFlowReads: boolean
  rule(kind: RouteKind): ApiVersionRule
  query(kind: RouteKind): TObject
  /** The route's path parameters, with the surface's own (the connector's `connectionId`). */
  params<P extends TProperties>(params: TObject<P>): TObject<P>
}

export const ConnectionId = Type.String({ pattern: CONNECTION_ID_PATTERN, description: 'Connection id' })

const versionDescription = `Service API version: ${SUPPORTED_API_VERSIONS.join(' or ')}`

const version = (options: { default?: string; description: string }) =>
  Type.String({ maxLength: 64, ...options })
/** `api-version` as the operation takes it: required (ARM style) or optional, other parameters allowed. */
const withVersion = (required: boolean, options: { default?: string; description: string }) =>
  Type.Object(
    { 'api-version': required ? version(options) : Type.Optional(version(options)) },
    { additionalProperties: true },
  )
const noVersion = Type.Object({}, { additionalProperties: true })

export const FLOW_SURFACE: Surface = {
  name: 'flow',
  servesFlowReads: true,
  rule: (kind) => (kind === 'approvals' ? 'optional' : 'required'),
  params: (params) => params,
  // The gate answers a missing api-version (MissingApiVersionParameter) before the schema is checked.
  query: (kind) =>
    kind === 'approvals'
      ? withVersion(false, { description: `${versionDescription} (optional here)` })
      : withVersion(true, { description: versionDescription }),
}

export const CONNECTOR_SURFACE: Surface = {
  name: 'connector',
  servesFlowReads: false,
  rule: (kind) => (kind === 'userDetails' ? 'none' : 'optional'),
  // Typed as the route's own parameters: handlers never read connectionId, the surface's hooks do.
  params: <P extends TProperties>(params: TObject<P>): TObject<P> =>
    Type.Object({ connectionId: ConnectionId, ...params.properties }),
  query: (kind) =>
    kind === 'userDetails'
      ? noVersion
      : withVersion(false, { default: '2016-11-01', description: versionDescription }),
}
