import type { FastifyRequest } from 'fastify'

import { errors } from '../errors/index.ts'

/** The api-version values the Flow admin API accepts (flow-admin-api.md §0: every client sends one of these). */
export const SUPPORTED_API_VERSIONS = ['2016-11-01', '2017-05-01'] as const

/**
 * How a route treats `api-version`: required (ARM style), optional (checked when given), or none
 * (not a parameter of the operation; whatever is sent is ignored, as the connector gateway does).
 */
export type ApiVersionRule = 'required' | 'optional' | 'none'

declare module 'fastify' {
  interface FastifyContextConfig {
    apiVersion?: ApiVersionRule
  }
}

/**
 * A step of the request gate: checks `api-version` against the route's rule.
 * EMULATOR: inferred from ARM (flow-admin-api.md §3): the Flow RP's own answer is not captured.
 */
export function checkApiVersion(request: FastifyRequest): void {
  const rule = request.routeOptions.config.apiVersion ?? 'required'
  if (rule === 'none') return
  const value = (request.query as Record<string, unknown>)['api-version']
  if (value === undefined || value === '') {
    if (rule === 'required') throw errors.missingApiVersion()
    return
  }
  if (typeof value !== 'string' || !(SUPPORTED_API_VERSIONS as readonly string[]).includes(value)) {
    throw errors.invalidApiVersion(
      typeof value === 'string' ? value : JSON.stringify(value),
      SUPPORTED_API_VERSIONS,
    )
  }
}
