import { describe, expect, it } from 'vitest'

import { expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp } from '../helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO, FABRIKAM } from '../helpers/demo.ts'

/**
 * The routes tools call beside the eight operations: the caller tenant's environments (any user),
 * a flow's runs as admin, and ARM's subscription and tenant lists that `az login` reads.
 */
const ENVIRONMENTS = '/providers/Microsoft.ProcessSimple/environments'
const runsOf = (flow: string, env: string = CONTOSO.defaultEnv) =>
  `${ADMIN}/environments/${env}/flows/${flow}/runs`

describe('GET /providers/Microsoft.ProcessSimple/environments', () => {
  it("lists the caller tenant's environments, default first, for any user of the tenant", async () => {
    const t = await buildTestApp()
    const analyst = await t.mint({ user: CONTOSO.analyst.upn })
    const res = await t.as(analyst, { method: 'GET', url: `${ENVIRONMENTS}?${API}` })
    expect(res.statusCode, res.body).toBe(200)
    const { value } = res.json<{ value: { name: string; properties: Record<string, unknown> }[] }>()
    expect(value.map((e) => e.name)).toEqual([CONTOSO.defaultEnv, CONTOSO.productionEnv])
    expect(value[0]).toEqual({
      name: CONTOSO.defaultEnv,
      location: 'unitedstates',
      type: 'Microsoft.ProcessSimple/environments',
      id: `${ENVIRONMENTS}/${CONTOSO.defaultEnv}`,
      properties: {
        displayName: 'Contoso (default)',
        createdTime: '2024-01-08T09:00:00.0000000Z',
        provisioningState: 'Succeeded',
        creationType: 'DefaultTenant',
        environmentSku: 'Default',
        environmentType: 'Default',
        isDefault: true,
        azureRegionHint: 'unitedstates',
      },
    })
    expect(value[1]?.properties['isDefault']).toBe(false)
  })

  it("gets one environment, ~default included; another tenant's is denied", async () => {
    const t = await buildTestApp()
    const token = await t.mint({ user: CONTOSO.maker.upn })
    for (const name of ['~default', CONTOSO.defaultEnv]) {
      const res = await t.as(token, { method: 'GET', url: `${ENVIRONMENTS}/${name}?${API}` })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toMatchObject({ name: CONTOSO.defaultEnv })
    }
    expectServiceError(
      await t.as(token, { method: 'GET', url: `${ENVIRONMENTS}/${FABRIKAM.defaultEnv}?${API}` }),
      {
        status: 403,
        code: 'EnvironmentAccessDenied',
      },
    )
  })

  it('needs a token and an api-version', async () => {
    const t = await buildTestApp()
    expectServiceError(await t.app.inject({ method: 'GET', url: `${ENVIRONMENTS}?${API}` }), {
      status: 401,
      code: 'AuthenticationFailed',
    })
    const token = await t.mint({ user: CONTOSO.maker.upn })
    expectServiceError(await t.as(token, { method: 'GET', url: ENVIRONMENTS }), {
      status: 400,
      code: 'MissingApiVersionParameter',
    })
  })
})

describe('GET .../scopes/admin/environments/{env}/flows/{flow}/runs', () => {
  it("lists the flow's runs, newest first, in the service's shape", async () => {
    const t = await buildTestApp()
    const admin = await t.mint({ user: CONTOSO.admin.upn })
    const res = await t.as(admin, { method: 'GET', url: `${runsOf(CONTOSO.flows.invoiceApproval)}?${API}` })
    expect(res.statusCode, res.body).toBe(200)
    const run = '08585093841234567890123456789CU02'
    const correlation = { clientTrackingId: run }
    expect(res.json().value[0]).toEqual({
      name: run,
      id: `${ENVIRONMENTS}/${CONTOSO.defaultEnv}/flows/${CONTOSO.flows.invoiceApproval}/runs/${run}`,
      type: 'Microsoft.ProcessSimple/environments/flows/runs',
      properties: {
        startTime: '2025-06-13T07:00:02.0000000Z',
        endTime: '2025-06-13T07:00:09.2500000Z',
        status: 'Failed',
        correlation,
        trigger: {
          name: 'manual',
          outputsLink: {
            uri: expect.stringMatching(
              `^http://localhost:80${ENVIRONMENTS}/${CONTOSO.defaultEnv}/flows/${CONTOSO.flows.invoiceApproval}/runs/${run}/contents/TriggerOutputs\\?api-version=2016-06-01&se=2026-01-16T10%3A00%3A00.0000000Z&sp=%2Fruns%2F${run}%2Fcontents%2FTriggerOutputs%2Fread&sv=1.0&sig=[\\w-]{43}$`,
            ),
            contentVersion: expect.any(String),
            contentSize: expect.any(Number),
            contentHash: { algorithm: 'md5', value: expect.any(String) },
          },
          startTime: '2025-06-13T07:00:02.0000000Z',
          endTime: '2025-06-13T07:00:02.0000000Z',
          correlation,
          code: 'OK',
          status: 'Succeeded',
        },
      },
    })
    expect(res.json().value.map((r: { name: string }) => r.name)).toEqual([
      run,
      '08585093841234567890123456789CU01',
    ])
    const one = await t.as(admin, {
      method: 'GET',
      url: `${runsOf(CONTOSO.flows.invoiceApproval)}/${run}?${API}`,
    })
    expect(one.statusCode).toBe(200)
    expect(one.json()).toEqual(res.json().value[0])
  })

  it('answers an unknown run, flow or a non-admin as the other admin routes do', async () => {
    const t = await buildTestApp()
    const admin = await t.mint({ user: CONTOSO.admin.upn })
    expectServiceError(
      await t.as(admin, { method: 'GET', url: `${runsOf(CONTOSO.flows.invoiceApproval)}/nope?${API}` }),
      { status: 404, code: 'WorkflowRunNotFound' },
    )
    expectServiceError(
      await t.as(admin, { method: 'GET', url: `${runsOf('00000000-0000-0000-0000-000000000000')}?${API}` }),
      { status: 404, code: 'FlowNotFound' },
    )
    const maker = await t.mint({ user: CONTOSO.maker.upn })
    expectServiceError(
      await t.as(maker, { method: 'GET', url: `${runsOf(CONTOSO.flows.invoiceApproval)}?${API}` }),
      {
        status: 403,
        code: 'AuthorizationFailed',
      },
    )
  })
})

describe('ARM: GET /subscriptions and /tenants', () => {
  it.each([
    'https://management.azure.com/',
    'https://management.azure.com',
    'https://management.core.windows.net/',
  ])('answer a token for %s in ARM shapes', async (audience) => {
    const t = await buildTestApp()
    const token = await t.mint({ user: CONTOSO.admin.upn, audience })
    const tenants = await t.as(token, { method: 'GET', url: '/tenants?api-version=2022-12-01' })
    expect(tenants.statusCode, tenants.body).toBe(200)
    expect(tenants.json()).toEqual({
      value: [
        {
          id: `/tenants/${CONTOSO.tenantId}`,
          tenantId: CONTOSO.tenantId,
          countryCode: 'US',
          displayName: expect.any(String),
          domains: [CONTOSO.domain],
          tenantCategory: 'Home',
          defaultDomain: CONTOSO.domain,
          tenantType: 'AAD',
        },
      ],
    })
    const subscriptions = await t.as(token, { method: 'GET', url: '/subscriptions?api-version=2020-01-01' })
    expect(subscriptions.statusCode).toBe(200)
    expect(subscriptions.json()).toMatchObject({
      count: { type: 'Total', value: 1 },
      value: [{ subscriptionId: CONTOSO.subscription.id, tenantId: CONTOSO.tenantId, state: 'Enabled' }],
    })
  })

  it('refuses a token for another resource, no token, and a missing or undated api-version', async () => {
    const t = await buildTestApp()
    const flowToken = await t.mint({ user: CONTOSO.admin.upn })
    expectServiceError(await t.as(flowToken, { method: 'GET', url: '/tenants?api-version=2022-12-01' }), {
      status: 401,
      code: 'InvalidAuthenticationTokenAudience',
    })
    expectServiceError(await t.app.inject({ method: 'GET', url: '/subscriptions?api-version=2022-12-01' }), {
      status: 401,
      code: 'AuthenticationFailed',
    })
    const token = await t.mint({ user: CONTOSO.admin.upn, audience: 'https://management.azure.com' })
    expectServiceError(await t.as(token, { method: 'GET', url: '/tenants' }), {
      status: 400,
      code: 'MissingApiVersionParameter',
    })
    expectServiceError(await t.as(token, { method: 'GET', url: '/tenants?api-version=latest' }), {
      status: 400,
      code: 'InvalidApiVersionParameter',
    })
    expectServiceError(
      await t.as(token, { method: 'GET', url: '/subscriptions/x/resourceGroups?api-version=2022-12-01' }),
      {
        status: 404,
        code: 'NotFound',
      },
    )
  })
})

describe('the Flow API audiences', () => {
  it.each([
    ['https://management.azure.com', 200],
    ['https://management.azure.com/', 200],
    ['https://management.core.windows.net/', 200],
    ['https://service.flow.microsoft.com/', 200],
    ['https://service.flow.microsoft.com', 401],
  ])('%s → %i', async (audience, status) => {
    const t = await buildTestApp()
    const token = await t.mint({ user: CONTOSO.admin.upn, audience })
    const res = await t.as(token, { method: 'GET', url: `${ADMIN}/environments/~default/flows?${API}` })
    expect(res.statusCode).toBe(status)
    if (status === 401) expectServiceError(res, { status, code: 'InvalidAuthenticationTokenAudience' })
  })
})
