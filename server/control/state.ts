import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

import { ImportResult, PatchResult, ResetResult, StateDocument, StatePatch } from '../../schemas/control.ts'
import type { Repositories } from '../../db/repositories/index.ts'
import { controlPlaneErrors } from '../errors/index.ts'
import { sendEmpty } from '../http/reply.ts'
import { AnyObject, controlErrors, DOCUMENT_BODY_LIMIT, TAGS, TenantQuery } from './schemas.ts'
import { requireTenant } from './tenant-lookup.ts'

/** The id of a tenant named by id, domain or short name, or 404. */
function tenantId(repos: Repositories, name: string): string {
  return requireTenant(repos, name).id
}

/** Reset, export and import of state, and per-test tenants. */
const state: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/_emulator/reset',
    {
      schema: {
        operationId: 'Emulator-Reset',
        summary:
          'Restore the loaded fixtures (all, or one tenant); empty the journal, throttle counters and fault rules',
        tags: TAGS,
        querystring: TenantQuery,
        response: { 200: ResetResult, ...controlErrors(404) },
      },
    },
    async (request) => {
      const started = performance.now()
      const tenant =
        request.query.tenant === undefined ? undefined : tenantId(app.repos, request.query.tenant)
      if (tenant !== undefined && !app.stateService.reset(tenant))
        throw controlPlaneErrors.tenantNotFound(request.query.tenant ?? tenant)
      if (tenant === undefined) app.stateService.reset()
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
      app.stateService.export(
        request.query.tenant === undefined ? undefined : [tenantId(app.repos, request.query.tenant)],
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
        body: StateDocument,
        response: { 200: ImportResult, ...controlErrors(413) },
      },
    },
    async (request) => {
      app.stateService.import(request.body)
      return { tenants: app.repos.tenants.list().length }
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
        body: StatePatch,
        response: { 200: PatchResult, ...controlErrors(413) },
      },
    },
    async (request) => {
      return { tenants: app.stateService.patch(request.body) }
    },
  )

  app.get(
    '/_emulator/tenants',
    {
      schema: {
        operationId: 'Emulator-ListTenants',
        summary: 'The tenants: seeded ones and those made for tests',
        tags: TAGS,
        response: {
          200: Type.Object(
            {
              value: Type.Array(
                Type.Object({
                  id: Type.String(),
                  name: Type.String(),
                  domain: Type.String(),
                  displayName: Type.String(),
                }),
              ),
            },
            { description: 'The tenants' },
          ),
        },
      },
    },
    () => ({
      value: app.repos.tenants
        .list()
        .map((t) => ({ id: t.id, name: t.name, domain: t.domain, displayName: t.display_name })),
    }),
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
      const tenant = await app.stateService.createTenant(request.body.template)
      if (!tenant)
        throw controlPlaneErrors.tenantNotFound(
          typeof request.body.template === 'string' ? request.body.template : '(template)',
        )
      return reply.code(201).send(await app.stateService.describeTenant(tenant))
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
      const id = tenantId(app.repos, request.params.id)
      app.stateService.deleteTenant(id)
      sendEmpty(reply, 204)
    },
  )
}

export default state
