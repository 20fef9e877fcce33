import swagger from '@fastify/swagger'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { stringify } from 'yaml'

import { surfaceOfRoute } from '../http/surface.ts'
import { version } from '../version.ts'

export interface OpenApiOptions {
  /**
   * Adds the connector's own labels to an operation's schema on the connector surface: given by
   * the app, as the connector builds on the plugins, not the other way round.
   */
  connectorLabels: (operationId: string, schema: Record<string, unknown>) => Record<string, unknown>
}

/**
 * The OpenAPI document, generated from the route schemas (the single source). `npm run openapi`
 * writes it to openapi.yaml; the running emulator serves it at /openapi.json and /openapi.yaml.
 */
async function openapi(app: FastifyInstance, { connectorLabels }: OpenApiOptions) {
  await app.register(swagger, {
    // OpenAPI wants each operationId once; the connector surface serves the same operations as
    // the Flow API, so there it is prefixed, and the connector's own id is kept in an extension.
    transform: ({ schema, url, route }) => {
      const operationId = (schema as { operationId?: string } | undefined)?.operationId
      if (surfaceOfRoute(route) !== 'connector' || !operationId) return { schema, url }
      return {
        schema: {
          ...connectorLabels(operationId, schema as Record<string, unknown>),
          tags: ['Connector'],
          operationId: `Connector-${operationId}`,
          'x-ms-connector-operation-id': operationId,
        },
        url,
      }
    },
    transformObject: (document) =>
      'openapiObject' in document
        ? hoistParameterExtensions(markOptionalBodies(document.openapiObject as OpenApiDocument))
        : document.swaggerObject,
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Power Automate for Admins emulator',
        description:
          'Local emulator of the Flow admin API (api.flow.microsoft.com, Microsoft.ProcessSimple/scopes/admin) behind the "Power Automate for Admins" connector, and of its control plane.',
        version,
      },
      servers: [{ url: 'http://127.0.0.1:7070' }],
      tags: [
        { name: 'Flow admin API', description: 'The admin operations of the Flow service' },
        { name: 'Emulator', description: 'The emulator control plane (loopback only)' },
        {
          name: 'Entra ID',
          description: 'The emulated Microsoft Entra ID: discovery, keys, token, authorize and device code',
        },
      ],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'An Entra ID access token',
          },
        },
      },
    },
  })
  app.get('/openapi.json', { schema: { hide: true }, config: { surface: 'docs' } }, async () => app.swagger())
  app.get('/openapi.yaml', { schema: { hide: true }, config: { surface: 'docs' } }, async (_request, reply) =>
    reply.type('application/yaml').send(openApiYaml(app)),
  )
}

export default fp(openapi, { name: 'openapi', fastify: '5.x' })

/** The document as YAML, written out in full (no anchors), so any tool can read it. */
export function openApiYaml(app: FastifyInstance): string {
  // YAML 1.1 rules for quoting: a value a 1.1 reader would take for a date, number or boolean
  // (`2016-11-01`, `yes`, `on`) is quoted, so 1.1 and 1.2 readers both get the string.
  return stringify(app.swagger(), { aliasDuplicateObjects: false, lineWidth: 0, version: '1.1' })
}

type OpenApiDocument = {
  paths?: Record<
    string,
    Record<
      string,
      {
        parameters?: { schema?: Record<string, unknown>; [key: string]: unknown }[]
        requestBody?: {
          required?: boolean
          content?: Record<string, { schema?: { anyOf?: { type?: string }[] } }>
        }
      }
    >
  >
}

/**
 * @fastify/swagger marks every request body required; a body schema that admits null (Fastify
 * validates a missing body as null) is in fact optional, as for start and stop.
 */
function markOptionalBodies<T extends OpenApiDocument>(doc: T): T {
  for (const operations of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      const body = operation.requestBody
      const schema = body?.content?.['application/json']?.schema
      if (body && schema?.anyOf?.some((s) => s.type === 'null')) body.required = false
    }
  }
  return doc
}

/**
 * @fastify/swagger leaves a parameter's `x-` keys in its schema; the connector's `x-ms-summary`
 * and `x-ms-visibility` belong to the parameter, where tools read them.
 */
function hoistParameterExtensions<T extends OpenApiDocument>(doc: T): T {
  for (const operations of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const parameter of operation.parameters ?? []) {
        for (const key of Object.keys(parameter.schema ?? {})) {
          if (!key.startsWith('x-ms-')) continue
          parameter[key] = parameter.schema![key]
          delete parameter.schema![key]
        }
      }
    }
  }
  return doc
}
