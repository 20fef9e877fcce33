import { readFileSync } from 'node:fs'

import SwaggerParser from '@apidevtools/swagger-parser'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

import { generateOpenApiYaml, OPENAPI_PATH } from '../../server/openapi-file.ts'

/**
 * The connector's operations (flow-admin-api.md, Appendix A): each must exist on the Flow admin
 * API surface with the same operationId, method and path (the connector path minus `/{connectionId}`).
 */
const CONNECTOR_OPERATIONS = [
  ['Remove-AdminFlow', 'delete', '/environments/{environment}/flows/{flow}'],
  ['Enable-AdminFlow', 'post', '/environments/{environment}/flows/{flow}/start'],
  ['Disable-AdminFlow', 'post', '/environments/{environment}/flows/{flow}/stop'],
  ['Edit-AdminFlowOwnerRole', 'post', '/environments/{environment}/flows/{flow}/modifyPermissions'],
  ['Get-AdminFlowOwnerRole', 'get', '/environments/{environment}/flows/{flow}/permissions'],
  ['Get-AdminFlowUserDetails', 'get', '/users/{userId}'],
  ['Remove-AdminFlowUserDetails', 'delete', '/users/{userId}'],
  ['Remove-AdminFlowApproval', 'delete', '/environments/{environment}/users/{userId}/approvals'],
] as const
const PREFIX = '/providers/Microsoft.ProcessSimple/scopes/admin'

type Doc = {
  paths: Record<string, Record<string, { operationId?: string; parameters?: { name: string; in: string }[] }>>
}

describe('openapi.yaml', () => {
  it('is what the route schemas generate (run `npm run openapi` after changing a route)', async () => {
    expect(readFileSync(OPENAPI_PATH, 'utf8')).toBe(await generateOpenApiYaml())
  })

  it('is a valid OpenAPI document', async () => {
    await expect(
      SwaggerParser.validate(parse(readFileSync(OPENAPI_PATH, 'utf8')) as never),
    ).resolves.toBeTruthy()
  })

  it.each(CONNECTOR_OPERATIONS)('has the connector operation %s (%s %s)', (operationId, method, path) => {
    const doc = parse(readFileSync(OPENAPI_PATH, 'utf8')) as Doc
    const operation = doc.paths[`${PREFIX}${path}`]?.[method]
    expect(operation?.operationId).toBe(operationId)
    const params = (operation?.parameters ?? []).map((p) => `${p.in}:${p.name}`)
    for (const name of path.match(/\{(\w+)\}/g) ?? []) expect(params).toContain(`path:${name.slice(1, -1)}`)
    expect(params).toContain('query:api-version')
  })
})
