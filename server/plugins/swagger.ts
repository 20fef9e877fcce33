import swagger from '@fastify/swagger'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

import { version } from '../version.ts'

/**
 * The OpenAPI document, generated from the route schemas (the single source). `npm run openapi`
 * writes it to openapi.yaml; the running emulator serves it at /openapi.json and /openapi.yaml.
 */
async function openapi(app: FastifyInstance) {
  await app.register(swagger, {
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
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  app.get('/openapi.yaml', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('application/yaml').send(app.swagger({ yaml: true })),
  )
}

export default fp(openapi, { name: 'openapi', fastify: '5.x' })
