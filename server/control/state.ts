import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import type { TenantFixture } from '../../schemas/fixture.ts'
import { FLOW_SERVICE_AUDIENCE } from '../auth/audiences.ts'
import { AZURE_POWERSHELL_CLIENT_ID } from '../auth/token-issuer.ts'
import type { EmulatorContext } from '../plugins/emulator-context.ts'
import { controlPlaneErrors, errors } from '../errors/index.ts'
import { sendEmpty } from '../flow-api/route-schemas.ts'
import { connectorKey, isCallerKeyOfTenant } from '../throttle/connection-key.ts'
import { AnyObject, controlErrors, DOCUMENT_BODY_LIMIT, TAGS, TenantQuery } from './schemas.ts'
import { requireTenant } from './tenant-lookup.ts'

/** The id of a tenant named by id, domain or short name, or 404. */
function tenantId(ctx: EmulatorContext, name: string): string {
  return requireTenant(ctx.repos, name).id.toLowerCase()
}

/** Everything a reset puts back besides the data: journal, throttle windows, fault rules, clock, throttle settings. */
function resetRuntime(ctx: EmulatorContext, tenant?: string): void {
  if (tenant === undefined) {
    ctx.journal.clear()
    ctx.throttle.reset()
    ctx.throttle.configure(ctx.startupThrottle)
    ctx.faults.clear()
    ctx.clock.reset()
    return
  }
  const connections = new Set(ctx.repos.connections.list(tenant).map((c) => connectorKey(c.id)))
  ctx.journal.clear((e) => e.tenant?.toLowerCase() === tenant)
  ctx.throttle.reset((key) => connections.has(key) || isCallerKeyOfTenant(key, tenant))
  ctx.faults.clear((r) => r.tenant?.toLowerCase() === tenant)
}

/** What POST /_emulator/tenants answers: enough for a test to start without another call. */
async function describeTenant(ctx: EmulatorContext, tenant: TenantFixture) {
  const admin = tenant.users.find(
    (u) => u.roles.includes('GlobalAdministrator') || u.roles.includes('PowerPlatformAdministrator'),
  )
  const adminRow = admin && ctx.repos.directory.findUser(tenant.id, admin.objectId)
  const adminToken = adminRow
    ? (
        await ctx.issuer.forUser({
          tenantId: tenant.id,
          user: adminRow,
          clientId: AZURE_POWERSHELL_CLIENT_ID,
          audience: FLOW_SERVICE_AUDIENCE,
          lifetimeSeconds: 3600,
        })
      ).accessToken
    : null
  return {
    tenantId: tenant.id,
    name: tenant.name,
    domain: tenant.domain,
    defaultEnvironment: tenant.environments.find((e) => e.isDefault)?.name ?? `Default-${tenant.id}`,
    environments: tenant.environments.map((e) => e.name),
    users: tenant.users.map((u) => ({ upn: u.userPrincipalName, objectId: u.objectId, roles: u.roles })),
    apps: tenant.apps.map((a) => ({
      clientId: a.clientId,
      servicePrincipalId: a.servicePrincipalId,
      displayName: a.displayName,
      managementApplication: a.managementApplication,
    })),
    flows: tenant.environments.flatMap((e) =>
      e.flows.map((f) => ({ name: f.name, displayName: f.displayName, environment: e.name, state: f.state })),
    ),
    connections: (tenant.connections ?? []).map((c) => c.id),
    adminToken,
  }
}

/** Reset, export and import of state, and per-test tenants. */
const state: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.emulator

  app.post(
    '/_emulator/reset',
    {
      schema: {
        operationId: 'Emulator-Reset',
        summary:
          'Restore the loaded fixtures (all, or one tenant); empty the journal, throttle counters and fault rules',
        tags: TAGS,
        querystring: TenantQuery,
        response: {
          200: Type.Object(
            {
              status: Type.Literal('reset'),
              tenant: Type.Union([Type.String(), Type.Null()]),
              durationMs: Type.Number(),
            },
            { description: 'Reset' },
          ),
          ...controlErrors(404),
        },
      },
    },
    async (request) => {
      const started = performance.now()
      const tenant = request.query.tenant === undefined ? undefined : tenantId(ctx, request.query.tenant)
      if (tenant !== undefined && !ctx.state.reset(tenant))
        throw controlPlaneErrors.tenantNotFound(request.query.tenant ?? tenant)
      if (tenant === undefined) ctx.state.reset()
      resetRuntime(ctx, tenant)
      return {
        status: 'reset' as const,
        tenant: tenant ?? null,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      }
    },
  )

  app.get(
    '/_emulator/state',
    {
      schema: {
        operationId: 'Emulator-ExportState',
        summary: 'Export all state (or one tenant) in the fixture format, signing keys included',
        tags: TAGS,
        querystring: TenantQuery,
        response: { 200: { ...AnyObject, description: 'A fixture document' }, ...controlErrors(404) },
      },
    },
    async (request) =>
      ctx.state.export(
        request.query.tenant === undefined ? undefined : [tenantId(ctx, request.query.tenant)],
      ),
  )

  app.put(
    '/_emulator/state',
    {
      bodyLimit: DOCUMENT_BODY_LIMIT,
      schema: {
        operationId: 'Emulator-ImportState',
        summary:
          'Replace all state with a fixture document (validated first; a bad document changes nothing)',
        tags: TAGS,
        body: AnyObject,
        response: {
          200: Type.Object({ tenants: Type.Integer() }, { description: 'Imported' }),
          ...controlErrors(413),
        },
      },
    },
    async (request) => {
      ctx.state.import(request.body)
      ctx.throttle.reset()
      return { tenants: ctx.repos.tenants.list().length }
    },
  )

  app.patch(
    '/_emulator/state',
    {
      bodyLimit: DOCUMENT_BODY_LIMIT,
      schema: {
        operationId: 'Emulator-PatchState',
        summary:
          'Merge a partial fixture document: add or change users, apps, environments, flows, permissions, ...',
        tags: TAGS,
        body: AnyObject,
        response: {
          200: Type.Object({ tenants: Type.Array(Type.String()) }, { description: 'The tenants changed' }),
          ...controlErrors(413),
        },
      },
    },
    async (request) => {
      if (!Array.isArray((request.body as { tenants?: unknown }).tenants)) {
        throw errors.invalidRequestContent(
          "body.tenants must be an array of (partial) tenants, each with 'id' or 'name'",
        )
      }
      return { tenants: ctx.state.patch(request.body) }
    },
  )

  app.post(
    '/_emulator/tenants',
    {
      bodyLimit: DOCUMENT_BODY_LIMIT,
      schema: {
        operationId: 'Emulator-CreateTenant',
        summary: 'A fresh tenant for one test: a copy of a template with new ids, and an admin token',
        tags: TAGS,
        body: Type.Object(
          {
            template: Type.Union([
              Type.String({
                minLength: 1,
                maxLength: 64,
                description: "A fixture tenant's name, e.g. contoso",
              }),
              Type.Object({}, { additionalProperties: true, description: 'A fixture document or tenant' }),
            ]),
          },
          { additionalProperties: false },
        ),
        response: { 201: { ...AnyObject, description: 'The new tenant' }, ...controlErrors(404, 413) },
      },
    },
    async (request, reply) => {
      const tenant = await ctx.state.createTenant(request.body.template)
      if (!tenant)
        throw controlPlaneErrors.tenantNotFound(
          typeof request.body.template === 'string' ? request.body.template : '(template)',
        )
      return reply.code(201).send(await describeTenant(ctx, tenant))
    },
  )

  app.delete(
    '/_emulator/tenants/:id',
    {
      schema: {
        operationId: 'Emulator-DeleteTenant',
        summary: 'Delete a tenant and everything of it',
        tags: TAGS,
        params: Type.Object({ id: Type.String({ maxLength: 256 }) }),
        response: { 204: Type.Null({ description: 'Deleted' }), ...controlErrors(404) },
      },
    },
    async (request, reply) => {
      const id = tenantId(ctx, request.params.id)
      resetRuntime(ctx, id)
      ctx.state.deleteTenant(id)
      sendEmpty(reply, 204)
    },
  )
}

export default state
