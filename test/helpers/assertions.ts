import type { LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'

/** Pins the error contract: status, the `{"error":{"code","message"}}` envelope and its content type. */
export function expectServiceError(
  res: LightMyRequestResponse,
  expected: { status: number; code: string; message?: string | RegExp },
): void {
  expect(res.statusCode, res.body).toBe(expected.status)
  expect(res.headers['content-type']).toMatch(/^application\/json/)
  const body = res.json<{ error: { code: string; message: string } }>()
  expect(Object.keys(body)).toEqual(['error'])
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message'])
  expect(body.error.code).toBe(expected.code)
  if (typeof expected.message === 'string') expect(body.error.message).toBe(expected.message)
  else if (expected.message) expect(body.error.message).toMatch(expected.message)
}

/** A success without a body: no Content-Type, `Content-Length: 0`. */
export function expectEmptySuccess(res: LightMyRequestResponse, status = 200): void {
  expect(res.statusCode, res.body).toBe(status)
  expect(res.body).toBe('')
  expect(res.headers['content-type']).toBeUndefined()
  if (status !== 204) expect(res.headers['content-length']).toBe('0')
}
