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

interface Parameter {
  name: string
  in: string
  required?: boolean
  schema?: { default?: unknown }
  'x-ms-summary'?: string
  'x-ms-visibility'?: string
}
interface Operation {
  operationId?: string
  summary?: string
  parameters?: Parameter[]
  responses?: Record<string, unknown>
}
type Doc = { paths: Record<string, Record<string, Operation>> }

/** The document as a YAML 1.1 reader (js-yaml's and PyYAML's default) reads it. */
let yaml11: Doc | undefined
const readYaml11 = () => (yaml11 ??= parse(readFileSync(OPENAPI_PATH, 'utf8'), { version: '1.1' }) as Doc)
const CONNECTOR = '/apim/microsoftflowforadmins/{connectionId}'
const operations = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
  )
const parameter = (operation: Operation | undefined, name: string) =>
  operation?.parameters?.find((p) => p.name === name)

/** The connector's own labels (its published definition): summary and x-ms-summary of each parameter. */
const CONNECTOR_LABELS = [
  ['Remove-AdminFlow', 'Remove Flow as Admin', { environment: 'Environment Name', flow: 'Flow Name' }],
  [
    'Enable-AdminFlow',
    'Enable Flow as Admin',
    { environment: 'Name field of the Environment', flow: 'Flow Name' },
  ],
  ['Disable-AdminFlow', 'Disable Flow as Admin', { environment: 'Environment Name', flow: 'Flow Name' }],
  ['Edit-AdminFlowOwnerRole', 'Edit Flow Owner Role as Admin', { 'Content-Type': 'Field Content-Type' }],
  ['Get-AdminFlowOwnerRole', 'Get Flow Owner Role as Admin', { environment: 'Environment Name' }],
  ['Get-AdminFlowUserDetails', 'Get Flow User Details', { userId: 'Field userId' }],
  ['Remove-AdminFlowUserDetails', 'Remove Flow User Details', { userId: 'Field UserId' }],
  [
    'Remove-AdminFlowApproval',
    'Remove Flow Approval',
    { environment: 'Environment Name', userId: 'Field userId' },
  ],
] as const

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

  it.each(CONNECTOR_OPERATIONS)(
    '%s: api-version is required on the Flow API (but for approvals), optional with the quoted default on the connector',
    (operationId, method, path) => {
      const doc = readYaml11()
      const direct = parameter(doc.paths[`${PREFIX}${path}`]?.[method], 'api-version')
      expect(direct?.required).toBe(operationId !== 'Remove-AdminFlowApproval')
      const viaConnector = parameter(doc.paths[`${CONNECTOR}${PREFIX}${path}`]?.[method], 'api-version')
      if (operationId.includes('UserDetails')) {
        expect(viaConnector).toBeUndefined()
      } else {
        expect(viaConnector?.required).toBe(false)
        // A YAML 1.1 reader would make an unquoted 2016-11-01 a date.
        expect(viaConnector?.schema?.default).toBe('2016-11-01')
        expect(viaConnector?.['x-ms-summary']).toBe('Field API Version')
      }
    },
  )

  it.each(CONNECTOR_LABELS)("%s carries the connector's labels", (operationId, summary, labels) => {
    const found = operations(readYaml11()).filter(
      ({ operation }) =>
        operation.operationId === operationId || operation.operationId === `Connector-${operationId}`,
    )
    expect(found).toHaveLength(2)
    for (const { operation } of found) expect(operation.summary).toBe(summary)
    const connector = found.find(({ path }) => path.startsWith(CONNECTOR))!.operation
    expect(parameter(connector, 'connectionId')?.['x-ms-visibility']).toBe('internal')
    for (const [name, label] of Object.entries(labels)) {
      expect(parameter(connector, name)?.['x-ms-summary'], name).toBe(label)
    }
  })

  it('documents the optional Content-Type header of Edit-AdminFlowOwnerRole on the connector', () => {
    const edit = operations(readYaml11()).find(
      ({ operation }) => operation.operationId === 'Connector-Edit-AdminFlowOwnerRole',
    )
    expect(parameter(edit?.operation, 'Content-Type')).toMatchObject({
      in: 'header',
      required: false,
      schema: { default: 'application/json' },
    })
  })

  it('reads the same with YAML 1.1 and 1.2 readers: no value changes type', () => {
    const text = readFileSync(OPENAPI_PATH, 'utf8')
    expect(parse(text, { version: '1.1' })).toEqual(parse(text, { version: '1.2' }))
  })

  it("gives every operation of a client surface the fault presets' 429 and 503", () => {
    const client = operations(readYaml11()).filter(({ operation }) => {
      const id = operation.operationId ?? ''
      return !id.startsWith('Emulator-')
    })
    expect(client.length).toBeGreaterThan(30)
    for (const { operation } of client) {
      expect(Object.keys(operation.responses ?? {}), operation.operationId).toEqual(
        expect.arrayContaining(['429', '503']),
      )
    }
  })
})
