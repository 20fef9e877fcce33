import type { FastifyError, FastifyRequest } from 'fastify'

import { GUID_PATTERN } from '../../schemas/common.ts'
import { errors, ServiceError } from '../errors/index.ts'
import { FixtureError } from '../fixtures.ts'
import { surfaceOfRequest } from './surface.ts'

/** Fastify's own errors (body parsing, size, media type, validation) and storage errors as catalog errors. */

interface AjvError {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
}

/** `body.put[0].properties.roleName must be one of: CanView, CanEdit` from an ajv error. */
export function describeValidationError(context: string | undefined, error: AjvError): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : `${acc}.${p}`), context ?? 'request')
  const params = error.params
  switch (error.keyword) {
    case 'required':
      return `${path} must have the property '${String(params['missingProperty'])}'`
    case 'additionalProperties':
      return `${path} has an unknown property '${String(params['additionalProperty'])}'`
    case 'pattern':
      return params['pattern'] === GUID_PATTERN
        ? `${path} must be a GUID`
        : `${path} ${error.message ?? 'is invalid'}`
    case 'enum':
      return `${path} must be one of: ${(params['allowedValues'] as unknown[]).map(String).join(', ')}`
    default:
      return `${path} ${error.message ?? 'is invalid'}`
  }
}

/** Maps Fastify's own errors (body parsing, size, media type, validation) onto the catalog. */
export function toServiceError(error: FastifyError, request: FastifyRequest): ServiceError | undefined {
  if (error instanceof ServiceError) return error
  const invalid =
    surfaceOfRequest(request) === 'control' ? errors.invalidControlRequest : errors.invalidRequestContent
  // A fixture or state document sent to the control plane that does not hold together.
  if (error instanceof FixtureError) return invalid(error.message)
  if (error.validation) {
    const first = error.validation[0] as AjvError | undefined
    return invalid(first ? describeValidationError(error.validationContext, first) : error.message)
  }
  switch (error.code) {
    // SQLite's own codes (better-sqlite3 SqliteError): storage trouble is a clear 5xx, never a bare 500.
    case 'SQLITE_FULL':
    case 'SQLITE_IOERR_WRITE':
    case 'SQLITE_IOERR_FSYNC':
      return errors.storageFull()
    case 'SQLITE_READONLY':
    case 'SQLITE_READONLY_DBMOVED':
    case 'SQLITE_READONLY_DIRECTORY':
      return errors.storageReadOnly()
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return errors.storageBusy()
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errors.requestTooLarge(request.routeOptions.bodyLimit)
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errors.unsupportedMediaType(request.headers['content-type'] ?? '')
  }
  // Body parse failures (malformed JSON, forbidden __proto__ keys, bad content-length) are 400s.
  if (error.statusCode === 400 || error instanceof SyntaxError) {
    return errors.invalidRequestContent(error.message)
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new ServiceError(error.statusCode, 'BadRequest', error.message)
  }
  return undefined
}
