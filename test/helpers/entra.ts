import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'

import { CONTOSO } from './demo.ts'

export const FLOW_SCOPE = 'https://service.flow.microsoft.com//.default'
export const PUBLIC_CLIENT = '1950a258-227b-4e31-a9cf-717495945fc2'
export const tokenUrl = (tenant: string = CONTOSO.tenantId, version: 'v1' | 'v2' = 'v2') =>
  `/${tenant}/oauth2/${version === 'v2' ? 'v2.0/' : ''}token`

/** A form-encoded POST, as OAuth clients send them. */
export function postForm(
  app: FastifyInstance,
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', ...headers },
    payload: new URLSearchParams(fields).toString(),
  })
}

/** Pins Entra's error contract (entra.md §1.4): shape, AADSTS code, no-store headers. */
export function expectEntraError(
  res: LightMyRequestResponse,
  expected: { status: number; error: string; code: number; message?: RegExp },
): Record<string, unknown> {
  expect(res.statusCode, res.body).toBe(expected.status)
  expect(res.headers['content-type']).toMatch(/^application\/json/)
  expect(res.headers['cache-control']).toBe('no-store, no-cache')
  expect(res.headers['pragma']).toBe('no-cache')
  const body = res.json<Record<string, unknown>>()
  expect(Object.keys(body).sort()).toEqual(
    [
      'correlation_id',
      'error',
      'error_codes',
      'error_description',
      'error_uri',
      'timestamp',
      'trace_id',
    ].sort(),
  )
  expect(body['error']).toBe(expected.error)
  expect(body['error_codes']).toEqual([expected.code])
  expect(body['error_description']).toMatch(new RegExp(`^AADSTS${expected.code}: `))
  expect(body['error_description']).toMatch(
    /\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
  )
  expect(body['timestamp']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/)
  if (expected.message) expect(body['error_description']).toMatch(expected.message)
  return body
}
