import { describe, expect, it } from 'vitest'

import { ROLE_TEMPLATE_IDS } from '../../server/auth/directory-roles.ts'
import { expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp } from '../helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO, FABRIKAM } from '../helpers/demo.ts'

const stopUrl = `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/stop?${API}`
const permissionsUrl = `${ADMIN}/environments/${CONTOSO.defaultEnv}/flows/${CONTOSO.flows.invoiceApproval}/permissions?${API}`

describe('who may call the admin API', () => {
  it.each([
    ['a Global Administrator', { user: CONTOSO.admin.upn }],
    ['a Power Platform Administrator', { user: CONTOSO.ppadmin.upn }],
    ['a user named by object id', { tenant: CONTOSO.tenantId, user: CONTOSO.ppadmin.id }],
    ['a management application', { tenant: 'contoso', clientId: CONTOSO.automationApp.clientId }],
  ])('%s succeeds', async (_, request) => {
    const t = await buildTestApp()
    const res = await t.as(await t.mint(request), { method: 'POST', url: stopUrl })
    expect(res.statusCode).toBe(200)
  })

  it.each([
    ['a user without an admin role', { user: CONTOSO.maker.upn }, CONTOSO.maker.id],
    ['another user without an admin role', { user: CONTOSO.analyst.upn }, CONTOSO.analyst.id],
    [
      'an application that is not a management application',
      { tenant: CONTOSO.domain, clientId: CONTOSO.reportingApp.clientId },
      '00204f43-953c-4cc2-9661-3ab25e838e02',
    ],
    [
      'a non-admin with a forged wids claim',
      { user: CONTOSO.maker.upn, claims: { wids: [ROLE_TEMPLATE_IDS.GlobalAdministrator] } },
      CONTOSO.maker.id,
    ],
    [
      'a token for an object id the directory does not know',
      { user: CONTOSO.admin.upn, claims: { oid: '11111111-2222-3333-4444-555555555555' } },
      '11111111-2222-3333-4444-555555555555',
    ],
  ])('%s gets 403 AuthorizationFailed and changes nothing', async (_, request, objectId) => {
    const t = await buildTestApp()
    const token = await t.mint(request)
    for (const options of [
      { method: 'POST' as const, url: stopUrl },
      { method: 'GET' as const, url: permissionsUrl },
      { method: 'GET' as const, url: `${ADMIN}/users/${CONTOSO.analyst.id}?${API}` },
    ]) {
      expectServiceError(await t.as(token, options), {
        status: 403,
        code: 'AuthorizationFailed',
        message: new RegExp(`^The client '${objectId}' does not have authorization`),
      })
    }
    expect(t.app.repos.flows.find(CONTOSO.defaultEnv, CONTOSO.flows.invoiceApproval)?.state).toBe('Started')
  })

  it('a Fabrikam management app and admin see nothing of Contoso', async () => {
    const t = await buildTestApp()
    for (const request of [
      { tenant: 'fabrikam', clientId: FABRIKAM.opsApp.clientId },
      { user: FABRIKAM.admin.upn },
    ]) {
      const token = await t.mint(request)
      expectServiceError(await t.as(token, { method: 'GET', url: permissionsUrl }), {
        status: 403,
        code: 'EnvironmentAccessDenied',
      })
      expect(
        (await t.as(token, { method: 'GET', url: `${ADMIN}/environments/~default/flows?${API}` })).json()
          .value,
      ).toHaveLength(1)
    }
  })
})

describe('api-version', () => {
  it('is required: 400 MissingApiVersionParameter', async () => {
    const t = await buildTestApp()
    const token = await t.mint({ user: CONTOSO.admin.upn })
    for (const url of [stopUrl.replace(`?${API}`, ''), stopUrl.replace(API, 'api-version=')]) {
      expectServiceError(await t.as(token, { method: 'POST', url }), {
        status: 400,
        code: 'MissingApiVersionParameter',
        message: 'The api-version query parameter (?api-version=) is required for all requests.',
      })
    }
  })

  it('accepts 2016-11-01 and 2017-05-01, and refuses others naming the supported ones', async () => {
    const t = await buildTestApp()
    const token = await t.mint({ user: CONTOSO.admin.upn })
    for (const version of ['2016-11-01', '2017-05-01']) {
      expect(
        (await t.as(token, { method: 'GET', url: permissionsUrl.replace(API, `api-version=${version}`) }))
          .statusCode,
      ).toBe(200)
    }
    expectServiceError(
      await t.as(token, { method: 'GET', url: permissionsUrl.replace(API, 'api-version=2020-01-01') }),
      {
        status: 400,
        code: 'InvalidApiVersionParameter',
        message:
          "The api-version '2020-01-01' is invalid. The supported versions are '2016-11-01,2017-05-01'.",
      },
    )
  })

  it('is checked after authentication and before authorization', async () => {
    const t = await buildTestApp()
    const noVersion = permissionsUrl.replace(`?${API}`, '')
    expectServiceError(await t.app.inject({ method: 'GET', url: noVersion }), {
      status: 401,
      code: 'AuthenticationFailed',
    })
    const maker = await t.mint({ user: CONTOSO.maker.upn })
    expectServiceError(await t.as(maker, { method: 'GET', url: noVersion }), {
      status: 400,
      code: 'MissingApiVersionParameter',
    })
  })
})
