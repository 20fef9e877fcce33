import { describe, expect, it } from 'vitest'

import { expectEmptySuccess, expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp } from '../helpers/build-test-app.ts'
import { CERT_OAUTH, FIRST_PARTY, viaConnector } from '../helpers/connector.ts'
import { ADMIN, CONTOSO } from '../helpers/demo.ts'

const ENV = CONTOSO.defaultEnv
const FLOW = CONTOSO.flows.invoiceApproval

/**
 * The eight operations as a client generated from the connector's swagger calls them: the path
 * table of Appendix A with `{connectionId}` first, no api-version (its default applies).
 */
const OPERATIONS: { operationId: string; method: 'GET' | 'POST' | 'DELETE'; path: string; body?: unknown }[] =
  [
    { operationId: 'Disable-AdminFlow', method: 'POST', path: `/environments/${ENV}/flows/${FLOW}/stop` },
    {
      operationId: 'Enable-AdminFlow',
      method: 'POST',
      path: `/environments/${ENV}/flows/${CONTOSO.flows.nightlyCleanup}/start`,
    },
    {
      operationId: 'Get-AdminFlowOwnerRole',
      method: 'GET',
      path: `/environments/${ENV}/flows/${FLOW}/permissions`,
    },
    {
      operationId: 'Edit-AdminFlowOwnerRole',
      method: 'POST',
      path: `/environments/${ENV}/flows/${FLOW}/modifyPermissions`,
      body: {
        put: [{ properties: { principal: { id: CONTOSO.admin.id, type: 'User' }, roleName: 'CanView' } }],
        delete: [{ id: CONTOSO.group }],
      },
    },
    {
      operationId: 'Remove-AdminFlow',
      method: 'DELETE',
      path: `/environments/${ENV}/flows/${CONTOSO.flows.weeklyDigest}`,
    },
    { operationId: 'Get-AdminFlowUserDetails', method: 'GET', path: `/users/${CONTOSO.analyst.id}` },
    { operationId: 'Remove-AdminFlowUserDetails', method: 'DELETE', path: `/users/${CONTOSO.admin.id}` },
    {
      operationId: 'Remove-AdminFlowApproval',
      method: 'DELETE',
      path: `/environments/${ENV}/users/${CONTOSO.maker.id}/approvals`,
    },
  ]

async function setup(options: Parameters<typeof buildTestApp>[0] = {}) {
  const t = await buildTestApp(options)
  return { ...t, token: await t.mint({ user: CONTOSO.admin.upn }) }
}

describe('the connector surface', () => {
  it.each(OPERATIONS)(
    '$operationId gives the same result through a connection as on the Flow API',
    async (op) => {
      const direct = await setup()
      const flowRes = await direct.as(direct.token, {
        method: op.method,
        url: `${ADMIN}${op.path}?api-version=2016-11-01`,
        ...(op.body ? { payload: op.body } : {}),
      })
      const gateway = await setup()
      const connectorRes = await gateway.as(gateway.token, {
        method: op.method,
        url: viaConnector(FIRST_PARTY, op.path),
        ...(op.body ? { payload: op.body } : {}),
      })
      expect(connectorRes.statusCode).toBe(flowRes.statusCode)
      expect(connectorRes.body).toBe(flowRes.body)
      expect(connectorRes.headers['content-type']).toBe(flowRes.headers['content-type'])
      // And the state both leave behind is the same.
      expect(gateway.app.repos.permissions.listAll(ENV, FLOW)).toEqual(
        direct.app.repos.permissions.listAll(ENV, FLOW),
      )
      expect(gateway.app.repos.flows.listForEnvironment(ENV)).toEqual(
        direct.app.repos.flows.listForEnvironment(ENV),
      )
    },
  )

  it('adds the gateway headers; a bodiless success stays without Content-Type', async () => {
    const t = await setup()
    const res = await t.as(t.token, {
      method: 'POST',
      url: viaConnector(FIRST_PARTY, `/environments/${ENV}/flows/${FLOW}/stop`),
    })
    expectEmptySuccess(res)
    expect(res.headers).toMatchObject({
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'timing-allow-origin': '*',
      'x-ms-apihub-cached-response': 'true',
      'x-ms-apihub-obo': 'false',
      'cache-control': 'no-store, no-cache',
      pragma: 'no-cache',
      expires: '-1',
    })
    expect(res.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('passes backend errors through unchanged', async () => {
    const t = await setup()
    const res = await t.as(t.token, {
      method: 'GET',
      url: viaConnector(FIRST_PARTY, `/environments/${ENV}/flows/nope/permissions`),
    })
    expectServiceError(res, { status: 404, code: 'FlowNotFound', message: "Could not find flow 'nope'." })
    expect(res.headers['x-ms-apihub-obo']).toBe('false')
  })

  it('takes api-version as optional (default 2016-11-01) and still checks a given one; the user-details operations take none', async () => {
    const t = await setup()
    const stop = viaConnector(FIRST_PARTY, `/environments/${ENV}/flows/${FLOW}/stop`)
    expect((await t.as(t.token, { method: 'POST', url: `${stop}?api-version=2017-05-01` })).statusCode).toBe(
      200,
    )
    expectServiceError(await t.as(t.token, { method: 'POST', url: `${stop}?api-version=2099-01-01` }), {
      status: 400,
      code: 'InvalidApiVersionParameter',
    })
    const details = viaConnector(FIRST_PARTY, `/users/${CONTOSO.analyst.id}?api-version=whatever`)
    expect((await t.as(t.token, { method: 'GET', url: details })).statusCode).toBe(200)
  })

  it('accepts the connector runtime audience https://apihub.azure.com, which the Flow API refuses', async () => {
    const t = await setup()
    const apihub = await t.mint({ user: CONTOSO.admin.upn, audience: 'https://apihub.azure.com' })
    expect(
      (await t.as(apihub, { method: 'GET', url: viaConnector(FIRST_PARTY, `/users/${CONTOSO.analyst.id}`) }))
        .statusCode,
    ).toBe(200)
    expectServiceError(
      await t.as(apihub, {
        method: 'GET',
        url: `${ADMIN}/users/${CONTOSO.analyst.id}?api-version=2016-11-01`,
      }),
      {
        status: 401,
        code: 'InvalidAuthenticationTokenAudience',
      },
    )
  })

  it('requires a token', async () => {
    const t = await setup()
    expectServiceError(
      await t.app.inject({ method: 'GET', url: viaConnector(FIRST_PARTY, `/users/${CONTOSO.analyst.id}`) }),
      {
        status: 401,
        code: 'AuthenticationFailed',
      },
    )
  })

  it('refuses a connection id that is not 1 to 128 URL-safe characters', async () => {
    const t = await setup()
    for (const id of ['a'.repeat(129), 'bad%20id', 'x*y']) {
      expectServiceError(
        await t.as(t.token, { method: 'GET', url: viaConnector(id, `/users/${CONTOSO.analyst.id}`) }),
        {
          status: 400,
          code: 'InvalidRequestContent',
          message: /params\.connectionId must be 1 to 128 URL-safe characters/,
        },
      )
    }
  })
})

describe('connections are not shareable', () => {
  it("another user's connection fails as the gateway's token exchange fails", async () => {
    const t = await setup()
    const ppadmin = await t.mint({ user: CONTOSO.ppadmin.upn })
    for (const connection of [FIRST_PARTY, CERT_OAUTH]) {
      const res = await t.as(ppadmin, {
        method: 'GET',
        url: viaConnector(connection, `/environments/${ENV}/flows/${FLOW}/permissions`),
      })
      expect(res.statusCode).toBe(403)
      expect(res.headers['content-type']).toMatch(/^application\/json/)
      expect(res.json()).toEqual({
        status: 403,
        source: `https://local-001.token.azure-apim.net:443/tokens/local-001/microsoftflowforadmins/${connection}/exchange`,
        message: expect.stringMatching(
          /^Error from token exchange: Permission denied due to missing connection ACL: Connection .* is not shared/,
        ),
      })
    }
  })

  it('names the region of the gateway host the client called', async () => {
    // A gateway name pointed at the emulator (hosts file) must be allowed; through the proxy it is.
    const t = await setup({ allowedHosts: [{ host: 'europe-002.azure-apim.net', port: undefined }] })
    const ppadmin = await t.mint({ user: CONTOSO.ppadmin.upn })
    const res = await t.as(ppadmin, {
      method: 'GET',
      url: viaConnector(FIRST_PARTY, `/users/${CONTOSO.analyst.id}`),
      headers: { host: 'europe-002.azure-apim.net' },
    })
    expect(res.json().source).toBe(
      `https://europe-002.token.azure-apim.net:443/tokens/europe-002/microsoftflowforadmins/${FIRST_PARTY}/exchange`,
    )
  })

  it('an unknown connection with --auto-connections false fails with a not-found message', async () => {
    const t = await buildTestApp({ autoConnections: false })
    const token = await t.mint({ user: CONTOSO.admin.upn })
    const res = await t.as(token, {
      method: 'GET',
      url: viaConnector('never-made', `/users/${CONTOSO.analyst.id}`),
    })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toMatchObject({
      status: 403,
      message: "Error from token exchange: The connection 'never-made' was not found.",
    })
  })

  it('with --auto-connections (the default) the first call creates a firstParty connection for the caller, once, even when calls race', async () => {
    const t = await setup()
    const url = viaConnector('made-on-first-call', `/environments/${ENV}/flows/${FLOW}/permissions`)
    const results = await Promise.all(Array.from({ length: 25 }, () => t.as(t.token, { method: 'GET', url })))
    expect(results.map((r) => r.statusCode)).toEqual(Array(25).fill(200))
    const made = t.app.repos.connections.list().filter((c) => c.id === 'made-on-first-call')
    expect(made).toEqual([
      expect.objectContaining({
        owner_id: CONTOSO.admin.id,
        auth_type: 'firstParty',
        tenant_id: CONTOSO.tenantId,
      }),
    ])
    // Owned by the admin now, so nobody else may use it.
    const maker = await t.mint({ user: CONTOSO.ppadmin.upn })
    expect((await t.as(maker, { method: 'GET', url })).statusCode).toBe(403)
  })
})

describe('--max-auto-connections', () => {
  it('a flood of unknown connection ids creates connections up to the cap, then 403; a reset clears them', async () => {
    const probe = await buildTestApp()
    const existing = probe.app.repos.connections.count(CONTOSO.tenantId)
    const t = await buildTestApp({ maxAutoConnections: existing + 2 })
    const token = await t.mint({ user: CONTOSO.admin.upn })
    const call = (id: string) =>
      t.as(token, { method: 'GET', url: viaConnector(id, `/environments/${ENV}/flows/${FLOW}/permissions`) })
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await call(`flood-${i}`)).statusCode)
    expect(statuses).toEqual([200, 200, 403, 403, 403, 403])
    const refused = await call('flood-9')
    expect(refused.json()).toMatchObject({
      status: 403,
      message: expect.stringContaining(
        `The connection 'flood-9' was not found, and the tenant has ${existing + 2} connections, as many as --max-auto-connections`,
      ),
    })
    expect(t.app.repos.connections.count(CONTOSO.tenantId)).toBe(existing + 2)
    // Connections that exist still answer.
    expect((await call('flood-0')).statusCode).toBe(200)
    expect((await t.app.inject({ method: 'POST', url: '/_emulator/reset' })).statusCode).toBe(200)
    expect(t.app.repos.connections.count(CONTOSO.tenantId)).toBe(existing)
    expect((await call('after-reset')).statusCode).toBe(200)
  })
})

describe('a CertOauth connection acts as its app', () => {
  it('admin operations follow the app (a management application) and user details are refused', async () => {
    const t = await setup()
    expectEmptySuccess(
      await t.as(t.token, {
        method: 'POST',
        url: viaConnector(CERT_OAUTH, `/environments/${ENV}/flows/${FLOW}/stop`),
      }),
    )
    for (const method of ['GET', 'DELETE'] as const) {
      expectServiceError(
        await t.as(t.token, { method, url: viaConnector(CERT_OAUTH, `/users/${CONTOSO.analyst.id}`) }),
        {
          status: 403,
          code: 'ServicePrincipalAuthenticationNotSupported',
          message:
            'Service Principal authentication is not supported for administrative actions involving user details.',
        },
      )
    }
  })

  it('a connection for an app that is not a management application gets 403 AuthorizationFailed, even for an admin owner', async () => {
    const t = await setup()
    const reporting = t.app.repos.directory.findApp(CONTOSO.tenantId, CONTOSO.reportingApp.clientId)!
    const automation = t.app.repos.directory.findApp(CONTOSO.tenantId, CONTOSO.automationApp.clientId)!
    // Register the demo certificate on the reporting app too, then connect as it.
    t.app.repos.db
      .prepare('UPDATE apps SET certificates = ? WHERE client_id = ?')
      .run(JSON.stringify(automation.certificates), reporting.client_id)
    const certOauth = t.app.repos.connections.find(CERT_OAUTH)!
    const created = await t.app.inject({
      method: 'POST',
      url: '/_emulator/connections',
      payload: {
        id: 'reporting-cert',
        tenant: 'contoso',
        owner: CONTOSO.admin.upn,
        authType: 'CertOauth',
        clientId: reporting.client_id,
        pfxBase64: certOauth.pfx_base64,
        password: 'emulator',
      },
    })
    expect(created.statusCode, created.body).toBe(201)
    expectServiceError(
      await t.as(t.token, {
        method: 'POST',
        url: viaConnector('reporting-cert', `/environments/${ENV}/flows/${FLOW}/stop`),
      }),
      {
        status: 403,
        code: 'AuthorizationFailed',
      },
    )
  })
})
