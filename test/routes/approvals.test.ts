import { describe, expect, it } from 'vitest'

import { expectEmptySuccess, expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp } from '../helpers/build-test-app.ts'
import { ADMIN, CONTOSO, FABRIKAM } from '../helpers/demo.ts'

const approvalsUrl = (env: string, user: string, query = '') =>
  `${ADMIN}/environments/${env}/users/${user}/approvals${query}`

async function setup() {
  const t = await buildTestApp()
  return { ...t, token: await t.mint({ user: CONTOSO.admin.upn }) }
}

describe('DELETE .../environments/{env}/users/{userId}/approvals (Remove-AdminFlowApproval)', () => {
  it.each([
    ['without api-version, as PowerShell sends it', ''],
    ['with api-version, as the connector sends it', '?api-version=2016-11-01'],
  ])("removes the user's approvals in that environment only, %s", async (_, query) => {
    const t = await setup()
    const { approvals } = t.app.repos
    expect(approvals.listForUser(CONTOSO.defaultEnv, CONTOSO.maker.id)).toHaveLength(2)
    expectEmptySuccess(
      await t.as(t.token, { method: 'DELETE', url: approvalsUrl('~default', CONTOSO.maker.id, query) }),
    )
    expect(approvals.listForUser(CONTOSO.defaultEnv, CONTOSO.maker.id)).toEqual([])
    expect(approvals.listForUser(CONTOSO.defaultEnv, CONTOSO.analyst.id)).toHaveLength(1)
    expect(approvals.listForUser(CONTOSO.productionEnv, CONTOSO.maker.id)).toHaveLength(1)
  })

  it('answers 200 when there is nothing to remove', async () => {
    const t = await setup()
    expectEmptySuccess(
      await t.as(t.token, { method: 'DELETE', url: approvalsUrl(CONTOSO.defaultEnv, CONTOSO.admin.id) }),
    )
  })

  it('still checks an api-version that is given', async () => {
    const t = await setup()
    expectServiceError(
      await t.as(t.token, {
        method: 'DELETE',
        url: approvalsUrl('~default', CONTOSO.maker.id, '?api-version=1999-01-01'),
      }),
      { status: 400, code: 'InvalidApiVersionParameter' },
    )
  })

  it('answers 403 EnvironmentAccessDenied for another tenant environment and leaves its records', async () => {
    const t = await setup()
    expectServiceError(
      await t.as(t.token, { method: 'DELETE', url: approvalsUrl(FABRIKAM.defaultEnv, FABRIKAM.maker.id) }),
      {
        status: 403,
        code: 'EnvironmentAccessDenied',
      },
    )
    expect(t.app.repos.approvals.listForUser(FABRIKAM.defaultEnv, FABRIKAM.maker.id)).toHaveLength(1)
  })
})
