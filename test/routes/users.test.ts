import { describe, expect, it } from 'vitest'

import { expectEmptySuccess, expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp } from '../helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO, FABRIKAM } from '../helpers/demo.ts'

const userUrl = (id: string, version = API) => `${ADMIN}/users/${id}?${version}`
const SP_MESSAGE =
  'Service Principal authentication is not supported for administrative actions involving user details.'

async function setup() {
  const t = await buildTestApp()
  return { ...t, token: await t.mint({ user: CONTOSO.admin.upn }) }
}

describe('GET .../users/{userId} (Get-AdminFlowUserDetails)', () => {
  it('returns the seven fields, all present, in the service formats', async () => {
    const t = await setup()
    const res = await t.as(t.token, { method: 'GET', url: userUrl(CONTOSO.analyst.id) })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      tenantId: CONTOSO.tenantId,
      puid: '10032001A1B2C3F6',
      objectId: CONTOSO.analyst.id,
      isDisallowedForInternalPlans: true,
      consentTime: '2024-02-15T14:30:00.0000000Z',
      serviceSettingsSelectionTime: '2024-02-15T14:30:00.0000000Z',
      consentBusinessAppPlatformTime: '2024-02-15T14:31:10.0000000Z',
    })
    for (const key of ['consentTime', 'serviceSettingsSelectionTime', 'consentBusinessAppPlatformTime']) {
      expect(res.json()[key]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/)
    }
  })

  it.each([
    ['a user without a record', CONTOSO.ppadmin.id],
    ['a user of another tenant', FABRIKAM.maker.id],
    ['an id that is no user at all', 'someone'],
  ])('answers 404 MissingUserDetails for %s', async (_, id) => {
    const t = await setup()
    expectServiceError(await t.as(t.token, { method: 'GET', url: userUrl(id) }), {
      status: 404,
      code: 'MissingUserDetails',
      message: `The user details for tenant id '${CONTOSO.tenantId}' and principal id '${id}' doesn't exist.`,
    })
  })

  it('refuses an app-only token with 403 and the connector message', async () => {
    const t = await setup()
    const appToken = await t.mint({ tenant: CONTOSO.tenantId, clientId: CONTOSO.automationApp.clientId })
    for (const method of ['GET', 'DELETE'] as const) {
      expectServiceError(await t.as(appToken, { method, url: userUrl(CONTOSO.analyst.id) }), {
        status: 403,
        code: 'ServicePrincipalAuthenticationNotSupported',
        message: SP_MESSAGE,
      })
    }
    expect(t.app.repos.userDetails.find(CONTOSO.tenantId, CONTOSO.admin.id)).toBeDefined()
  })
})

describe('DELETE .../users/{userId} (Remove-AdminFlowUserDetails)', () => {
  it('removes the record of a user who owns no flow: 200, then 404', async () => {
    const t = await setup()
    expectEmptySuccess(
      await t.as(t.token, { method: 'DELETE', url: userUrl(CONTOSO.admin.id, 'api-version=2017-05-01') }),
    )
    expectServiceError(await t.as(t.token, { method: 'GET', url: userUrl(CONTOSO.admin.id) }), {
      status: 404,
      code: 'MissingUserDetails',
    })
    expectServiceError(
      await t.as(t.token, { method: 'DELETE', url: userUrl(CONTOSO.admin.id, 'api-version=2017-05-01') }),
      {
        status: 404,
        code: 'MissingUserDetails',
      },
    )
  })

  it('refuses with 400 while the user is still the Owner of flows in the tenant', async () => {
    const t = await setup()
    const res = await t.as(t.token, { method: 'DELETE', url: userUrl(CONTOSO.maker.id) })
    expectServiceError(res, {
      status: 400,
      code: 'UserDetailsDeletionNotAllowed',
      message: `The user '${CONTOSO.maker.id}' still owns 4 flow(s). All flows for this user must be deleted before user details can be deleted.`,
    })
    expect(t.app.repos.userDetails.find(CONTOSO.tenantId, CONTOSO.maker.id)).toBeDefined()
  })

  it('succeeds once the user owns no flow any more', async () => {
    const t = await setup()
    for (const [env, flow] of [
      [CONTOSO.defaultEnv, CONTOSO.flows.syncCrm],
      [CONTOSO.productionEnv, '9e2ddc90-8e23-4ec6-96be-6a5214d7c766'],
    ]) {
      expectEmptySuccess(
        await t.as(t.token, { method: 'DELETE', url: `${ADMIN}/environments/${env}/flows/${flow}?${API}` }),
      )
    }
    expectEmptySuccess(await t.as(t.token, { method: 'DELETE', url: userUrl(CONTOSO.analyst.id) }))
  })

  it('counts only Owner roles: CanEdit on flows does not block', async () => {
    const t = await setup()
    // The admin is given CanEdit on a flow; a co-owner is not the owner.
    t.app.repos.permissions.upsert({
      environment: CONTOSO.defaultEnv,
      flow: CONTOSO.flows.invoiceApproval,
      principal_id: CONTOSO.admin.id,
      principal_type: 'User',
      role_name: 'CanEdit',
      email: null,
      display_name: null,
    })
    expectEmptySuccess(await t.as(t.token, { method: 'DELETE', url: userUrl(CONTOSO.admin.id) }))
  })
})
