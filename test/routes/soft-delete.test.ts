import { describe, expect, it } from 'vitest'

import { expectEmptySuccess, expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp } from '../helpers/build-test-app.ts'
import { FIRST_PARTY, viaConnector } from '../helpers/connector.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'

const env = CONTOSO.defaultEnv
const flowPath = (flow: string, suffix = '') => `${ADMIN}/environments/${env}/flows/${flow}${suffix}?${API}`
const v2List = (query = '') => `${ADMIN}/environments/${env}/v2/flows?${API}${query}`
const INVOICE = CONTOSO.flows.invoiceApproval

async function adminApp() {
  const t = await buildTestApp()
  const token = await t.mint({ user: CONTOSO.admin.upn })
  // A fresh token each call: the tests move the clock by weeks.
  const call = async (method: string, url: string) =>
    t.as(await t.mint({ user: CONTOSO.admin.upn }), { method: method as 'GET', url })
  return { ...t, token, call }
}

type Listed = { value: { name: string; properties: { state: string } }[] }

describe('soft delete, the recycle bin and restore', () => {
  it('a deleted flow is missing for the eight operations, listed with include=softDeletedFlows as Deleted', async () => {
    const t = await adminApp()
    const permissionsBefore = (await t.call('GET', flowPath(INVOICE, '/permissions'))).json()
    expectEmptySuccess(await t.call('DELETE', flowPath(INVOICE)))

    for (const [method, suffix] of [
      ['GET', ''],
      ['GET', '/permissions'],
      ['POST', '/start'],
      ['POST', '/stop'],
    ] as const) {
      expectServiceError(await t.call(method, flowPath(INVOICE, suffix)), {
        status: 404,
        code: 'FlowNotFound',
      })
    }
    expectServiceError(
      await t.as(t.token, {
        method: 'POST',
        url: flowPath(INVOICE, '/modifyPermissions'),
        payload: { put: [], delete: [] },
      }),
      { status: 404, code: 'FlowNotFound' },
    )
    // Deleting it again: it is missing, so 204, as for any unknown flow.
    expectEmptySuccess(await t.call('DELETE', flowPath(INVOICE)), 204)

    const plain = (await t.call('GET', v2List())).json<Listed>()
    expect(plain.value.map((f) => f.name)).not.toContain(INVOICE)
    const withDeleted = await t.call('GET', v2List('&include=softDeletedFlows'))
    expect(withDeleted.statusCode).toBe(200)
    const listed = withDeleted.json<Listed>().value
    expect(listed.find((f) => f.name === INVOICE)?.properties.state).toBe('Deleted')
    expect(listed.filter((f) => f.properties.state === 'Deleted').map((f) => f.name)).toEqual([INVOICE])
    expect(listed.length).toBe(plain.value.length + 1)

    // Restore: back with its permissions, stopped.
    expectEmptySuccess(await t.call('POST', flowPath(INVOICE, '/restore')))
    const flow = (await t.call('GET', flowPath(INVOICE))).json()
    expect(flow.properties.state).toBe('Stopped')
    expect(flow.properties.lastModifiedTime).toBe('2026-01-15T10:00:00.0000000Z')
    expect((await t.call('GET', flowPath(INVOICE, '/permissions'))).json()).toEqual(permissionsBefore)
    expect(t.app.repos.flows.listRuns(env, INVOICE)).toHaveLength(2)
    const after = (await t.call('GET', v2List('&include=softDeletedFlows'))).json<Listed>()
    expect(after.value.some((f) => f.properties.state === 'Deleted')).toBe(false)
  })

  it('restoring a live or unknown flow is a 404', async () => {
    const t = await adminApp()
    for (const flow of [INVOICE, '00000000-0000-4000-8000-000000000000']) {
      expectServiceError(await t.call('POST', flowPath(flow, '/restore')), {
        status: 404,
        code: 'FlowNotFound',
        message: `Could not find soft-deleted flow '${flow}'.`,
      })
    }
  })

  it('keeps a deleted flow for 21 days of the emulator clock, then it is gone for good', async () => {
    const t = await adminApp()
    expectEmptySuccess(await t.call('DELETE', flowPath(INVOICE)))
    t.clock.advance(21 * 86_400 - 1)
    const listed = (await t.call('GET', v2List('&include=softDeletedFlows'))).json<Listed>()
    expect(listed.value.some((f) => f.name === INVOICE)).toBe(true)
    t.clock.advance(2)
    const later = (await t.call('GET', v2List('&include=softDeletedFlows'))).json<Listed>()
    expect(later.value.some((f) => f.name === INVOICE)).toBe(false)
    expectServiceError(await t.call('POST', flowPath(INVOICE, '/restore')), {
      status: 404,
      code: 'FlowNotFound',
    })
    // The next delete in the environment purges it with its permissions and runs.
    expectEmptySuccess(await t.call('DELETE', flowPath(CONTOSO.flows.heartbeat)))
    const { repos } = t.app
    expect(repos.flows.listForEnvironment(env).map((f) => f.name)).not.toContain(INVOICE)
    expect(repos.permissions.listAll(env, INVOICE)).toEqual([])
    expect(repos.flows.listRuns(env, INVOICE)).toEqual([])
  })

  it('the V2 list pages through deleted flows too', async () => {
    const t = await adminApp()
    for (const flow of [INVOICE, CONTOSO.flows.heartbeat])
      expectEmptySuccess(await t.call('DELETE', flowPath(flow)))
    const names: string[] = []
    let url: string | undefined = v2List('&include=softDeletedFlows&$top=2')
    while (url) {
      const page: Listed & { nextLink?: string } = (
        await t.call('GET', url.replace(/^http:\/\/[^/]+/, ''))
      ).json<Listed & { nextLink?: string }>()
      names.push(...page.value.filter((f) => f.properties.state === 'Deleted').map((f) => f.name))
      url = page.nextLink
    }
    expect(names.sort()).toEqual([INVOICE, CONTOSO.flows.heartbeat].sort())
  })

  it('rejects another include value with a 400', async () => {
    const t = await adminApp()
    expectServiceError(await t.call('GET', v2List('&include=everything')), {
      status: 400,
      code: 'InvalidRequestContent',
    })
  })

  it('soft-deleted flows survive export and import', async () => {
    const t = await adminApp()
    expectEmptySuccess(await t.call('DELETE', flowPath(INVOICE)))
    const exported = (await t.app.inject({ method: 'GET', url: '/_emulator/state' })).json()
    const flows = exported.tenants[0].environments.flatMap((e: { flows: unknown[] }) => e.flows)
    expect(flows.find((f: { name: string }) => f.name === INVOICE).deletedTime).toBe(
      '2026-01-15T10:00:00.0000000Z',
    )
    await t.app.inject({ method: 'POST', url: '/_emulator/reset' })
    expect(
      (await t.app.inject({ method: 'PUT', url: '/_emulator/state', payload: exported })).statusCode,
    ).toBe(200)
    expectServiceError(await t.call('GET', flowPath(INVOICE)), { status: 404, code: 'FlowNotFound' })
    expectEmptySuccess(await t.call('POST', flowPath(INVOICE, '/restore')))
  })

  it('restore is not an operation of the connector surface', async () => {
    const t = await adminApp()
    expectEmptySuccess(await t.call('DELETE', flowPath(INVOICE)))
    const res = await t.as(t.token, {
      method: 'POST',
      url: viaConnector(FIRST_PARTY, `/environments/${env}/flows/${INVOICE}/restore`),
    })
    expectServiceError(res, { status: 404, code: 'NotFound' })
  })
})
