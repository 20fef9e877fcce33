/**
 * The connector's own short labels for its operations' parameters (its published definition,
 * `x-ms-summary` and `x-ms-visibility`), which the document carries on the connector surface so
 * a tool that reads them (Power Apps, Power Automate, a generated client) shows the same names.
 * The operations' summaries are the connector's too; they are the routes' own summaries.
 */

type ParameterLabels = Record<string, string>

const ENVIRONMENT = 'Environment Name'
const FLOW = 'Flow Name'
const API_VERSION = 'Field API Version'

/** `x-ms-summary` of each operation's parameters, by operationId. */
export const CONNECTOR_PARAMETER_LABELS: Record<string, ParameterLabels> = {
  'Remove-AdminFlow': { environment: ENVIRONMENT, flow: FLOW, 'api-version': API_VERSION },
  'Enable-AdminFlow': {
    environment: 'Name field of the Environment',
    flow: FLOW,
    'api-version': API_VERSION,
  },
  'Disable-AdminFlow': { environment: ENVIRONMENT, flow: FLOW, 'api-version': API_VERSION },
  'Edit-AdminFlowOwnerRole': {
    environment: ENVIRONMENT,
    flow: FLOW,
    'api-version': API_VERSION,
    'Content-Type': 'Field Content-Type',
  },
  'Get-AdminFlowOwnerRole': { environment: ENVIRONMENT, flow: FLOW, 'api-version': API_VERSION },
  'Get-AdminFlowUserDetails': { userId: 'Field userId' },
  'Remove-AdminFlowUserDetails': { userId: 'Field UserId' },
  'Remove-AdminFlowApproval': {
    environment: ENVIRONMENT,
    userId: 'Field userId',
    'api-version': API_VERSION,
  },
}

/**
 * The connector's optional `Content-Type` header on Edit-AdminFlowOwnerRole, for the document
 * only: the emulator reads the header as every route does (a JSON body, or 415).
 */
export const CONNECTOR_HEADERS: Record<string, Record<string, object>> = {
  'Edit-AdminFlowOwnerRole': {
    'Content-Type': {
      type: 'string',
      default: 'application/json',
      description: "The request body's media type",
    },
  },
}

type JsonSchemaObject = { properties?: Record<string, object>; required?: string[] }

/** A route schema's object of parameters with each named one's `x-ms-summary` added. */
function labelled(schema: unknown, labels: ParameterLabels, extra: Record<string, object> = {}) {
  const object = (schema ?? { type: 'object' }) as JsonSchemaObject
  const properties = { ...object.properties, ...extra }
  return {
    ...object,
    properties: Object.fromEntries(
      Object.entries(properties).map(([name, property]) => [
        name,
        labels[name] ? { ...property, 'x-ms-summary': labels[name] } : property,
      ]),
    ),
  }
}

/** The connector operation's schema, for the document: the connector's labels and its header parameter. */
export function withConnectorLabels(operationId: string, schema: Record<string, unknown>) {
  const labels = CONNECTOR_PARAMETER_LABELS[operationId] ?? {}
  const params = labelled(schema['params'], labels) as { properties: Record<string, object> }
  params.properties['connectionId'] = { ...params.properties['connectionId'], 'x-ms-visibility': 'internal' }
  const headers = CONNECTOR_HEADERS[operationId]
  return {
    ...schema,
    params,
    ...(schema['querystring'] ? { querystring: labelled(schema['querystring'], labels) } : {}),
    ...(headers ? { headers: labelled(schema['headers'], labels, headers) } : {}),
  }
}
