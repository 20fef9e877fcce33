import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import type { FixtureDocument } from '../../schemas/fixture.ts'
import { DEMO_FIXTURES_PATH, validateFixtureDocument } from '../../server/fixtures.ts'
import { buildTestApp, type TestApp } from '../helpers/build-test-app.ts'
import { CONTOSO, FABRIKAM } from '../helpers/demo.ts'

/** ARM's `GET /subscriptions`, answered from the fixtures' subscriptions of the caller's tenant. */
const ARM = 'https://management.azure.com/'
const LIST = '/subscriptions?api-version=2022-12-01'
const CONTOSO_SUBSCRIPTION = CONTOSO.subscription.id

const demo = () => JSON.parse(readFileSync(DEMO_FIXTURES_PATH, 'utf8')) as FixtureDocument

const list = async (t: TestApp, request: Record<string, unknown>) => {
  const token = await t.mint({ audience: ARM, ...request })
  const res = await t.as(token, { method: 'GET', url: LIST })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<{ count: { type: string; value: number }; value: Record<string, unknown>[] }>()
}

describe('ARM: GET /subscriptions from the fixtures', () => {
  it("lists the caller tenant's subscriptions in ARM's shape, to users and apps alike", async () => {
    const t = await buildTestApp()
    const expected = {
      count: { type: 'Total', value: 1 },
      value: [
        {
          id: `/subscriptions/${CONTOSO_SUBSCRIPTION}`,
          authorizationSource: 'RoleBased',
          managedByTenants: [],
          tags: { environment: 'demo' },
          subscriptionId: CONTOSO_SUBSCRIPTION,
          tenantId: CONTOSO.tenantId,
          displayName: 'Contoso Automation',
          state: 'Enabled',
          subscriptionPolicies: {
            locationPlacementId: 'Public_2014-09-01',
            quotaId: 'PayAsYouGo_2014-09-01',
            spendingLimit: 'Off',
          },
        },
      ],
    }
    expect(await list(t, { user: CONTOSO.maker.upn })).toEqual(expected)
    expect(await list(t, { tenant: CONTOSO.tenantId, clientId: CONTOSO.automationApp.clientId })).toEqual(
      expected,
    )
  })

  it('a tenant with none answers an empty list (az login --allow-no-subscriptions)', async () => {
    const t = await buildTestApp()
    expect(await list(t, { user: FABRIKAM.admin.upn })).toEqual({
      count: { type: 'Total', value: 0 },
      value: [],
    })
  })

  it('fills in what a fixture leaves out, and omits tags when there are none', async () => {
    const doc = demo()
    doc.tenants[1]!.subscriptions = [
      {
        subscriptionId: '6131ae63-de29-432d-8046-84aa8de9efba',
        displayName: 'Fabrikam Legacy',
        state: 'Disabled',
      },
    ]
    const t = await buildTestApp({ fixtures: doc })
    expect(await list(t, { user: FABRIKAM.admin.upn })).toEqual({
      count: { type: 'Total', value: 1 },
      value: [
        {
          id: '/subscriptions/6131ae63-de29-432d-8046-84aa8de9efba',
          authorizationSource: 'RoleBased',
          managedByTenants: [],
          subscriptionId: '6131ae63-de29-432d-8046-84aa8de9efba',
          tenantId: FABRIKAM.tenantId,
          displayName: 'Fabrikam Legacy',
          state: 'Disabled',
          subscriptionPolicies: {
            locationPlacementId: 'Public_2014-09-01',
            quotaId: 'PayAsYouGo_2014-09-01',
            spendingLimit: 'Off',
          },
        },
      ],
    })
  })

  it('are exported, replaced by PUT, merged by PATCH, and a new tenant gets copies with new ids', async () => {
    const t = await buildTestApp()
    const exported = (await t.app.inject({ method: 'GET', url: '/_emulator/state' })).json<FixtureDocument>()
    expect(exported.tenants[0]!.subscriptions).toEqual(demo().tenants[0]!.subscriptions)
    expect(exported.tenants[1]!.subscriptions).toEqual([])

    exported.tenants[0]!.subscriptions![0]!.state = 'PastDue'
    const put = await t.app.inject({ method: 'PUT', url: '/_emulator/state', payload: exported })
    expect(put.statusCode, put.body).toBe(200)
    expect((await list(t, { user: CONTOSO.admin.upn })).value[0]).toMatchObject({ state: 'PastDue' })

    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/_emulator/state',
      payload: {
        tenants: [
          {
            id: CONTOSO.tenantId,
            subscriptions: [
              { subscriptionId: CONTOSO_SUBSCRIPTION, displayName: 'Renamed' },
              {
                subscriptionId: '6131ae63-de29-432d-8046-84aa8de9efba',
                displayName: 'Second',
                state: 'Enabled',
              },
            ],
          },
        ],
      },
    })
    expect(patch.statusCode, patch.body).toBe(200)
    const after = await list(t, { user: CONTOSO.admin.upn })
    expect(after.count.value).toBe(2)
    expect(after.value.map((s) => [s['displayName'], s['state']])).toEqual([
      ['Renamed', 'PastDue'],
      ['Second', 'Enabled'],
    ])

    const created = await t.app.inject({
      method: 'POST',
      url: '/_emulator/tenants',
      payload: { template: 'contoso' },
    })
    expect(created.statusCode).toBe(201)
    const body = created.json<{ tenantId: string; adminToken: string }>()
    const copy = (
      await t.app.inject({ method: 'GET', url: `/_emulator/state?tenant=${body.tenantId}` })
    ).json<FixtureDocument>()
    const copied = copy.tenants[0]!.subscriptions!
    expect(copied).toHaveLength(1)
    expect(copied[0]!.subscriptionId).not.toBe(CONTOSO_SUBSCRIPTION)
    expect(copied[0]).toMatchObject({ displayName: 'Contoso Automation', state: 'Enabled' })
    const admin = (await list(t, { tenant: body.tenantId, user: `admin@${copy.tenants[0]!.domain}` })).value
    expect(admin.map((s) => [s['subscriptionId'], s['tenantId']])).toEqual([
      [copied[0]!.subscriptionId, body.tenantId],
    ])
  })
})

describe('subscriptions in a fixture document', () => {
  it('are optional', () => {
    const doc = demo()
    delete doc.tenants[0]!.subscriptions
    expect(() => validateFixtureDocument(doc, 'doc')).not.toThrow()
  })

  it('refuse an id used twice, even in two tenants, naming both places', () => {
    const doc = demo()
    doc.tenants[1]!.subscriptions = [{ ...doc.tenants[0]!.subscriptions![0]!, displayName: 'Twin' }]
    expect(() => validateFixtureDocument(doc, 'doc')).toThrow(
      `/tenants/1/subscriptions/0/subscriptionId: duplicate subscription id '${CONTOSO_SUBSCRIPTION}' (first at /tenants/0/subscriptions/0/subscriptionId)`,
    )
  })

  it.each([
    ['an unknown state', { state: 'Paused' }, /subscriptions\/0\/state/],
    ['a bad id', { subscriptionId: 'sub-1' }, /subscriptions\/0\/subscriptionId/],
    ['an unknown spending limit', { subscriptionPolicies: { spendingLimit: 'Maybe' } }, /spendingLimit/],
    ['an unknown field', { owner: 'me' }, /subscriptions\/0\/owner/],
  ])('refuse %s', (_, change, message) => {
    const doc = demo()
    Object.assign(doc.tenants[0]!.subscriptions![0]!, change)
    expect(() => validateFixtureDocument(doc, 'doc')).toThrow(message)
  })

  it('a PUT that reuses an id across tenants is a 400 that changes nothing', async () => {
    const t = await buildTestApp()
    const before = (await t.app.inject({ method: 'GET', url: '/_emulator/state' })).body
    const doc = demo()
    doc.tenants[1]!.subscriptions = doc.tenants[0]!.subscriptions!
    const res = await t.app.inject({ method: 'PUT', url: '/_emulator/state', payload: doc })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.message).toMatch(/duplicate subscription id/)
    expect((await t.app.inject({ method: 'GET', url: '/_emulator/state' })).body).toBe(before)
  })
})
