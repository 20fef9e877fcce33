import { describe, expect, it } from 'vitest'

import type { CoverageReport, OperationCoverage } from '../../server/coverage/coverage.ts'
import { buildTestApp } from '../helpers/build-test-app.ts'
import { FIRST_PARTY, viaConnector } from '../helpers/connector.ts'
import { ADMIN, API, CONTOSO, FABRIKAM } from '../helpers/demo.ts'

const permissionsPath = `/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/permissions`

async function setup() {
  const t = await buildTestApp()
  const token = await t.mint({ user: CONTOSO.admin.upn })
  const coverage = async (query = '') => {
    const res = await t.app.inject({ method: 'GET', url: `/_emulator/coverage${query}` })
    expect(res.statusCode, res.body).toBe(200)
    return res.json<CoverageReport>()
  }
  const operation = (report: CoverageReport, surface: string, operationId: string): OperationCoverage => {
    const found = report.operations.find((o) => o.surface === surface && o.operationId === operationId)
    expect(found, `${surface} ${operationId}`).toBeDefined()
    return found!
  }
  const getPermissions = (flow: string = CONTOSO.flows.invoiceApproval) =>
    t.as(token, {
      method: 'GET',
      url: `${ADMIN}/environments/~default/flows/${flow}/permissions?${API}`,
    })
  return { ...t, token, coverage, operation, getPermissions }
}

describe('GET /_emulator/coverage', () => {
  it('lists every documented operation of the four surfaces, each with its documented statuses never seen', async () => {
    const t = await setup()
    const report = await t.coverage()
    expect(report.since).toBe('2026-01-15T10:00:00.0000000Z')
    expect(new Set(report.operations.map((o) => o.surface))).toEqual(
      new Set(['flow', 'connector', 'entra', 'graph']),
    )
    // The mint above is the control plane's, which is not a client surface: nothing is seen yet.
    for (const op of report.operations) expect(op.seen).toEqual({})
    const flow = t.operation(report, 'flow', 'Get-AdminFlowOwnerRole')
    expect(flow.neverSeen).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '429']))
    expect(t.operation(report, 'connector', 'Get-AdminFlowOwnerRole').neverSeen).toContain('200')
    expect(t.operation(report, 'entra', 'Entra-TokenV2').neverSeen).toContain('200')
    expect(t.operation(report, 'graph', 'Graph-GetUser').neverSeen).toContain('404')
    expect(report.operations.some((o) => o.operationId.startsWith('Emulator-'))).toBe(false)
    // Every status listed is one the document gives the operation.
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, { operationId?: string; responses?: object }>>
    }>()
    const documented = Object.values(doc.paths)
      .flatMap((ops) => Object.values(ops))
      .find((o) => o.operationId === 'Get-AdminFlowOwnerRole')
    expect([...flow.neverSeen].sort()).toEqual(Object.keys(documented!.responses!).sort())
  })

  it('counts each status an operation answered, moves it out of neverSeen, and keeps surfaces apart', async () => {
    const t = await setup()
    for (let i = 0; i < 3; i++) expect((await t.getPermissions()).statusCode).toBe(200)
    expect((await t.getPermissions('00000000-0000-0000-0000-000000000000')).statusCode).toBe(404)
    const res = await t.as(t.token, { method: 'GET', url: viaConnector(FIRST_PARTY, permissionsPath) })
    expect(res.statusCode, res.body).toBe(200)

    const report = await t.coverage()
    const flow = t.operation(report, 'flow', 'Get-AdminFlowOwnerRole')
    expect(flow.seen).toEqual({ '200': { count: 3, injected: 0 }, '404': { count: 1, injected: 0 } })
    expect(flow.neverSeen).not.toContain('200')
    expect(flow.neverSeen).not.toContain('404')
    expect(flow.neverSeen).toContain('429')
    expect(t.operation(report, 'connector', 'Get-AdminFlowOwnerRole').seen).toEqual({
      '200': { count: 1, injected: 0 },
    })
  })

  it('filters by tenant (id or domain) and by connection', async () => {
    const t = await setup()
    await t.getPermissions()
    await t.as(t.token, { method: 'GET', url: viaConnector(FIRST_PARTY, permissionsPath) })
    const fabrikam = await t.mint({ user: FABRIKAM.admin.upn })
    await t.as(fabrikam, {
      method: 'GET',
      url: `${ADMIN}/environments/~default/flows/${FABRIKAM.onboardingFlow}/permissions?${API}`,
    })

    const seen = async (query: string, surface: string) =>
      t.operation(await t.coverage(query), surface, 'Get-AdminFlowOwnerRole').seen
    expect(await seen(`?tenant=${FABRIKAM.tenantId}`, 'flow')).toEqual({ '200': { count: 1, injected: 0 } })
    expect(await seen(`?tenant=${CONTOSO.domain}`, 'flow')).toEqual({ '200': { count: 1, injected: 0 } })
    expect(await seen(`?tenant=${CONTOSO.domain}`, 'connector')).toEqual({ '200': { count: 1, injected: 0 } })
    expect(await seen(`?connection=${FIRST_PARTY}`, 'connector')).toEqual({ '200': { count: 1, injected: 0 } })
    expect(await seen(`?connection=${FIRST_PARTY}`, 'flow')).toEqual({})
    expect(await seen('?tenant=nobody.example', 'flow')).toEqual({})
  })

  it('counts Entra answers under the tenant id, whichever name the URL used', async () => {
    const t = await setup()
    const res = await t.app.inject({
      method: 'POST',
      url: `/${CONTOSO.domain}/oauth2/v2.0/token`,
      payload: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(res.statusCode).toBe(400)
    const report = await t.coverage(`?tenant=${CONTOSO.tenantId}`)
    expect(t.operation(report, 'entra', 'Entra-TokenV2').seen).toEqual({ '400': { count: 1, injected: 0 } })
  })

  it('counts fault-rule answers as seen and injected, so a 503 can be reached', async () => {
    const t = await setup()
    const fault = await t.app.inject({
      method: 'POST',
      url: '/_emulator/faults',
      payload: { operationId: 'Get-AdminFlowOwnerRole', preset: 'unavailable', times: 1 },
    })
    expect(fault.statusCode).toBe(201)
    expect((await t.getPermissions()).statusCode).toBe(503)
    expect((await t.getPermissions()).statusCode).toBe(200)
    const flow = t.operation(await t.coverage(), 'flow', 'Get-AdminFlowOwnerRole')
    expect(flow.seen).toEqual({ '200': { count: 1, injected: 0 }, '503': { count: 1, injected: 1 } })
    expect(flow.neverSeen).not.toContain('503')
  })

  it('a reset empties it and restarts `since`; a tenant reset forgets only that tenant', async () => {
    const t = await setup()
    await t.getPermissions()
    const fabrikam = await t.mint({ user: FABRIKAM.admin.upn })
    await t.as(fabrikam, {
      method: 'GET',
      url: `${ADMIN}/environments/~default/flows/${FABRIKAM.onboardingFlow}/permissions?${API}`,
    })
    const reset = (query = '') => t.app.inject({ method: 'POST', url: `/_emulator/reset${query}` })

    expect((await reset(`?tenant=${CONTOSO.domain}`)).statusCode).toBe(200)
    const afterTenantReset = await t.coverage()
    expect(t.operation(afterTenantReset, 'flow', 'Get-AdminFlowOwnerRole').seen).toEqual({
      '200': { count: 1, injected: 0 },
    })
    expect(afterTenantReset.since).toBe('2026-01-15T10:00:00.0000000Z')

    t.clock.advance(90)
    expect((await reset()).statusCode).toBe(200)
    const afterReset = await t.coverage()
    expect(afterReset.since).toBe('2026-01-15T10:01:30.0000000Z')
    expect(afterReset.operations.every((o) => Object.keys(o.seen).length === 0)).toBe(true)
  })

  it('refuses an unknown query parameter in the control envelope', async () => {
    const t = await setup()
    const res = await t.app.inject({ method: 'GET', url: '/_emulator/coverage?surface=flow' })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } })
  })
})

