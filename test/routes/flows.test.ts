import { describe, expect, it } from 'vitest'

import { expectEmptySuccess, expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp, TEST_NOW } from '../helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO, FABRIKAM } from '../helpers/demo.ts'

const flowUrl = (flow: string, env: string = CONTOSO.defaultEnv, suffix = '') =>
  `${ADMIN}/environments/${env}/flows/${flow}${suffix}?${API}`

async function adminApp() {
  const t = await buildTestApp()
  const token = await t.mint({ user: CONTOSO.admin.upn })
  const get = async (flow: string) => {
    const res = await t.as(token, { method: 'GET', url: flowUrl(flow) })
    expect(res.statusCode).toBe(200)
    return res.json()
  }
  return { ...t, token, get }
}

describe('GET .../flows/{flow}', () => {
  it('returns the flow object of reference §2.2', async () => {
    const { get } = await adminApp()
    expect(await get(CONTOSO.flows.invoiceApproval)).toEqual({
      name: CONTOSO.flows.invoiceApproval,
      id: `/providers/Microsoft.ProcessSimple/environments/${CONTOSO.defaultEnv}/flows/${CONTOSO.flows.invoiceApproval}`,
      type: 'Microsoft.ProcessSimple/environments/flows',
      properties: {
        apiId: '/providers/Microsoft.PowerApps/apis/shared_logicflows',
        displayName: 'Invoice approval',
        userType: 'Owner',
        state: 'Started',
        plan: 'NotSpecified',
        createdTime: '2025-02-03T08:15:22.4810000Z',
        lastModifiedTime: '2025-06-11T14:02:51.1230000Z',
        flowSuspensionReason: 'None',
        environment: {
          name: CONTOSO.defaultEnv,
          type: 'Microsoft.ProcessSimple/environments',
          id: `/providers/Microsoft.ProcessSimple/environments/${CONTOSO.defaultEnv}`,
        },
        creator: {
          tenantId: CONTOSO.tenantId,
          objectId: CONTOSO.maker.id,
          userId: CONTOSO.maker.id,
          userType: 'ActiveDirectory',
        },
        provisioningMethod: 'FromDefinition',
        flowFailureAlertSubscribed: true,
        isManaged: false,
        installationStatus: 'Installed',
        // Read by the CLI for M365's `flow get`; the emulator models no definitions.
        definitionSummary: { triggers: [], actions: [], description: '' },
      },
    })
  })

  it('matches flow and environment names without regard to case', async () => {
    const t = await adminApp()
    const res = await t.as(t.token, {
      method: 'GET',
      url: flowUrl(CONTOSO.flows.invoiceApproval.toUpperCase(), CONTOSO.defaultEnv.toLowerCase()),
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().name).toBe(CONTOSO.flows.invoiceApproval)
  })

  it('answers 404 FlowNotFound naming the flow as sent', async () => {
    const t = await adminApp()
    const res = await t.as(t.token, { method: 'GET', url: flowUrl('5490f993-a331-4f45-8f31-61a5337f7759') })
    expectServiceError(res, {
      status: 404,
      code: 'FlowNotFound',
      message: "Could not find flow '5490f993-a331-4f45-8f31-61a5337f7759'.",
    })
  })

  it('does not find a flow of another environment of the same tenant', async () => {
    const t = await adminApp()
    const res = await t.as(t.token, { method: 'GET', url: flowUrl(CONTOSO.flows.quarterlyClose) })
    expectServiceError(res, { status: 404, code: 'FlowNotFound' })
  })
})

describe('environments', () => {
  it('resolves ~default to the caller tenant default environment', async () => {
    const t = await adminApp()
    const res = await t.as(t.token, {
      method: 'GET',
      url: flowUrl(CONTOSO.flows.invoiceApproval, '~default'),
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().properties.environment.name).toBe(CONTOSO.defaultEnv)
  })

  it.each([
    ['an unknown environment', 'Default-00000000-0000-0000-0000-000000000000'],
    ['an environment of another tenant', FABRIKAM.defaultEnv],
  ])('answers 403 EnvironmentAccessDenied for %s', async (_, env) => {
    const t = await adminApp()
    for (const [method, suffix] of [
      ['GET', ''],
      ['POST', '/stop'],
      ['POST', '/start'],
      ['DELETE', ''],
      ['GET', '/permissions'],
    ] as const) {
      const res = await t.as(t.token, { method, url: flowUrl(FABRIKAM.onboardingFlow, env, suffix) })
      expectServiceError(res, {
        status: 403,
        code: 'EnvironmentAccessDenied',
        message: `Access to the environment '${env}' is denied.`,
      })
    }
  })

  it('lets a Fabrikam admin see its own flow and nothing of Contoso', async () => {
    const t = await buildTestApp()
    const token = await t.mint({ user: FABRIKAM.admin.upn })
    const own = await t.as(token, { method: 'GET', url: `${ADMIN}/environments/~default/flows?${API}` })
    expect(own.json().value.map((f: { name: string }) => f.name)).toEqual([FABRIKAM.onboardingFlow])
    const other = await t.as(token, {
      method: 'GET',
      url: `${ADMIN}/environments/${CONTOSO.defaultEnv}/flows?${API}`,
    })
    expectServiceError(other, { status: 403, code: 'EnvironmentAccessDenied' })
  })
})

describe('POST .../stop and .../start', () => {
  it.each([
    ['no body', {}],
    ['an empty JSON body', { headers: { 'content-type': 'application/json' }, payload: '' }],
    ['{}', { payload: {} }],
    ['a JSON object with fields', { payload: { reason: 'maintenance', nested: { a: [1] } } }],
    [
      'PowerShell content type',
      { headers: { 'content-type': 'application/json; charset=utf-8' }, payload: '{}' },
    ],
  ])(
    'disables with %s: 200, empty body, state Stopped, lastModifiedTime from the clock',
    async (_, request) => {
      const t = await adminApp()
      const res = await t.as(t.token, {
        method: 'POST',
        url: flowUrl(CONTOSO.flows.invoiceApproval, '~default', '/stop'),
        ...request,
      })
      expectEmptySuccess(res)
      const flow = await t.get(CONTOSO.flows.invoiceApproval)
      expect(flow.properties.state).toBe('Stopped')
      expect(flow.properties.lastModifiedTime).toBe(TEST_NOW.replace('.000Z', '.0000000Z'))
    },
  )

  it('is idempotent: stopping a stopped flow and starting a started one succeed', async () => {
    const t = await adminApp()
    for (const [flow, action, state] of [
      [CONTOSO.flows.nightlyCleanup, 'stop', 'Stopped'],
      [CONTOSO.flows.invoiceApproval, 'start', 'Started'],
    ] as const) {
      for (let i = 0; i < 2; i++) {
        expectEmptySuccess(
          await t.as(t.token, { method: 'POST', url: flowUrl(flow, '~default', `/${action}`) }),
        )
      }
      expect((await t.get(flow)).properties.state).toBe(state)
    }
  })

  it('starts a Stopped and a Suspended flow', async () => {
    const t = await adminApp()
    for (const flow of [CONTOSO.flows.nightlyCleanup, CONTOSO.flows.syncCrm]) {
      expectEmptySuccess(await t.as(t.token, { method: 'POST', url: flowUrl(flow, '~default', '/start') }))
      const after = await t.get(flow)
      expect(after.properties.state).toBe('Started')
      expect(after.properties.flowSuspensionReason).toBe('None')
    }
  })

  it('answers 404 FlowNotFound for an unknown flow', async () => {
    const t = await adminApp()
    for (const action of ['stop', 'start']) {
      const res = await t.as(t.token, {
        method: 'POST',
        url: flowUrl('no-such-flow', '~default', `/${action}`),
      })
      expectServiceError(res, {
        status: 404,
        code: 'FlowNotFound',
        message: "Could not find flow 'no-such-flow'.",
      })
    }
  })

  it.each([
    ['an array', '[]'],
    ['a string', '"stop"'],
    ['a number', '42'],
    ['malformed JSON', '{"a":'],
  ])('refuses %s as the body with 400 InvalidRequestContent', async (_, payload) => {
    const t = await adminApp()
    const res = await t.as(t.token, {
      method: 'POST',
      url: flowUrl(CONTOSO.flows.invoiceApproval, '~default', '/stop'),
      headers: { 'content-type': 'application/json' },
      payload,
    })
    expectServiceError(res, { status: 400, code: 'InvalidRequestContent' })
    expect((await t.get(CONTOSO.flows.invoiceApproval)).properties.state).toBe('Started')
  })
})

describe('DELETE .../flows/{flow}', () => {
  it('removes the flow (soft delete, kept for restore with its permissions and runs): 200, empty body', async () => {
    const t = await adminApp()
    const { repos } = t.app
    expect(repos.flows.listRuns(CONTOSO.defaultEnv, CONTOSO.flows.invoiceApproval)).toHaveLength(2)
    const res = await t.as(t.token, { method: 'DELETE', url: flowUrl(CONTOSO.flows.invoiceApproval) })
    expectEmptySuccess(res)
    expect(repos.flows.find(CONTOSO.defaultEnv, CONTOSO.flows.invoiceApproval)).toBeUndefined()
    expect(repos.permissions.listAll(CONTOSO.defaultEnv, CONTOSO.flows.invoiceApproval)).toHaveLength(4)
    expect(repos.flows.listRuns(CONTOSO.defaultEnv, CONTOSO.flows.invoiceApproval)).toHaveLength(2)
    expectServiceError(await t.as(t.token, { method: 'GET', url: flowUrl(CONTOSO.flows.invoiceApproval) }), {
      status: 404,
      code: 'FlowNotFound',
    })
  })

  it('answers 204 with no body when the flow does not exist (the real service quirk)', async () => {
    const t = await adminApp()
    const first = await t.as(t.token, { method: 'DELETE', url: flowUrl(CONTOSO.flows.nightlyCleanup) })
    expectEmptySuccess(first, 200)
    const second = await t.as(t.token, { method: 'DELETE', url: flowUrl(CONTOSO.flows.nightlyCleanup) })
    expectEmptySuccess(second, 204)
    expect(second.headers['content-length']).toBeUndefined()
  })

  it('leaves the other flows alone', async () => {
    const t = await adminApp()
    await t.as(t.token, { method: 'DELETE', url: flowUrl(CONTOSO.flows.invoiceApproval) })
    const list = await t.as(t.token, { method: 'GET', url: `${ADMIN}/environments/~default/flows?${API}` })
    expect(list.json().value).toHaveLength(4)
  })
})
