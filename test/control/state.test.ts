import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import type { FixtureDocument } from '../../schemas/fixture.ts'
import { expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp } from '../helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO, FABRIKAM } from '../helpers/demo.ts'

const demo = () => JSON.parse(readFileSync('fixtures/demo-tenant.json', 'utf8')) as FixtureDocument
const stripDescription = ({ description: _d, ...doc }: FixtureDocument) => doc

describe('state export and import', () => {
  it('exports the fixture format with signing keys, and an import of it round-trips', async () => {
    const t = await buildTestApp()
    const exported = (await t.app.inject({ method: 'GET', url: '/_emulator/state' })).json<FixtureDocument>()
    expect(exported.tenants.map((x) => x.id)).toEqual([CONTOSO.tenantId, FABRIKAM.tenantId])
    expect(exported.tenants[0]!.signingKey?.privateKeyPem).toContain('PRIVATE KEY')
    const token = await t.mint({ user: CONTOSO.admin.upn })
    await t.as(token, {
      method: 'POST',
      url: `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/stop?${API}`,
    })
    const imported = await t.app.inject({ method: 'PUT', url: '/_emulator/state', payload: exported })
    expect(imported.json()).toEqual({ tenants: 2 })
    const again = (await t.app.inject({ method: 'GET', url: '/_emulator/state' })).json<FixtureDocument>()
    expect(stripDescription(again)).toEqual(stripDescription(exported))
    // The token minted before the import is still good: keys were kept.
    const flow = await t.as(token, {
      method: 'GET',
      url: `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}?${API}`,
    })
    expect(flow.json().properties.state).toBe('Started')
  })

  it('?tenant exports one tenant', async () => {
    const t = await buildTestApp()
    const res = await t.app.inject({ method: 'GET', url: '/_emulator/state?tenant=fabrikam' })
    expect(res.json<FixtureDocument>().tenants.map((x) => x.name)).toEqual(['fabrikam'])
  })

  it('a bad document gets 400 naming the problem and changes nothing', async () => {
    const t = await buildTestApp()
    const before = (await t.app.inject({ method: 'GET', url: '/_emulator/state' })).body
    const doc = demo()
    doc.tenants[0]!.users[0]!.objectId = 'not-a-guid'
    expectServiceError(await t.app.inject({ method: 'PUT', url: '/_emulator/state', payload: doc }), {
      status: 400,
      code: 'InvalidRequestContent',
      message: /PUT \/_emulator\/state: \/tenants\/0\/users\/0\/objectId: must match pattern/,
    })
    expectServiceError(
      await t.app.inject({ method: 'PUT', url: '/_emulator/state', payload: { tenants: 'x' } }),
      { status: 400, code: 'InvalidRequestContent' },
    )
    expect((await t.app.inject({ method: 'GET', url: '/_emulator/state' })).body).toBe(before)
  })

  it('PATCH merges a partial document: a new user, a changed flow, a new permission', async () => {
    const t = await buildTestApp()
    const newUser = {
      objectId: '3b2c1d0e-0000-4000-8000-00000000abcd',
      userPrincipalName: 'tester@contoso.onmicrosoft.com',
      displayName: 'Tess Tester',
      password: 'x',
      roles: ['PowerPlatformAdministrator'],
    }
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/_emulator/state',
      payload: {
        tenants: [
          {
            id: CONTOSO.tenantId,
            users: [newUser],
            environments: [
              {
                name: CONTOSO.defaultEnv,
                flows: [
                  {
                    name: CONTOSO.flows.nightlyCleanup,
                    displayName: 'Nightly cleanup v2',
                    permissions: [
                      { principalId: CONTOSO.group, principalType: 'Group', roleName: 'CanEdit' },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ tenants: [CONTOSO.tenantId] })
    const token = await t.mint({ user: 'tester@contoso.onmicrosoft.com' })
    const flow = await t.as(token, {
      method: 'GET',
      url: `${ADMIN}/environments/~default/flows/${CONTOSO.flows.nightlyCleanup}?${API}`,
    })
    expect(flow.json().properties).toMatchObject({ displayName: 'Nightly cleanup v2', state: 'Stopped' })
    const permissions = await t.as(token, {
      method: 'GET',
      url: `${ADMIN}/environments/~default/flows/${CONTOSO.flows.nightlyCleanup}/permissions?${API}`,
    })
    expect(permissions.json().value.map((p: { name: string }) => p.name)).toEqual([
      CONTOSO.maker.id,
      CONTOSO.group,
    ])
    // Everything not named stays.
    expect(t.app.repos.flows.listForEnvironment(CONTOSO.defaultEnv)).toHaveLength(5)
  })

  it('PATCH with an invalid result changes nothing', async () => {
    const t = await buildTestApp()
    const before = (await t.app.inject({ method: 'GET', url: '/_emulator/state' })).body
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/_emulator/state',
      payload: { tenants: [{ id: CONTOSO.tenantId, users: [{ objectId: 'bad' }] }] },
    })
    expectServiceError(res, {
      status: 400,
      code: 'InvalidRequestContent',
      message: /^The request is invalid: PATCH \/_emulator\/state: /,
    })
    // The body's shape is checked by the route's schema before anything is merged.
    const patch = (payload: object) => t.app.inject({ method: 'PATCH', url: '/_emulator/state', payload })
    expectServiceError(await patch({ users: [] }), {
      status: 400,
      code: 'InvalidRequestContent',
      message: /body must have the property 'tenants'/,
    })
    for (const payload of [{ tenants: {} }, { tenants: [{ users: [] }] }, { tenants: [], users: [] }]) {
      expectServiceError(await patch(payload), { status: 400, code: 'InvalidRequestContent' })
    }
    expectServiceError(
      await t.app.inject({ method: 'PUT', url: '/_emulator/state', payload: { users: [] } }),
      { status: 400, code: 'InvalidRequestContent', message: /body must have the property 'tenants'/ },
    )
    expect((await t.app.inject({ method: 'GET', url: '/_emulator/state' })).body).toBe(before)
  })
})

describe('unique values a document could break are found before any write', () => {
  const sharedKey = () => {
    const doc = demo()
    doc.tenants[1]!.signingKey = doc.tenants[0]!.signingKey!
    return doc
  }

  it.each([
    [
      'PUT',
      sharedKey(),
      /\/tenants\/1\/signingKey: duplicate signing key \(certificate\) '[0-9A-F:]+' \(first at \/tenants\/0\/signingKey\)/,
    ],
    [
      'PATCH',
      { tenants: [{ id: FABRIKAM.tenantId, signingKey: demo().tenants[0]!.signingKey }] },
      /\/tenants\/1\/signingKey: duplicate signing key/,
    ],
    [
      'PUT',
      (() => {
        const doc = demo()
        const connection = { id: 'shared-id', owner: CONTOSO.admin.upn, authType: 'firstParty' as const }
        doc.tenants[0]!.connections = [connection]
        doc.tenants[1]!.connections = [{ ...connection, owner: doc.tenants[1]!.users[0]!.userPrincipalName }]
        return doc
      })(),
      /\/tenants\/1\/connections\/0\/id: duplicate connection id 'shared-id'/,
    ],
  ])('%s: 400 naming the clash, nothing changed', async (method, payload, message) => {
    const t = await buildTestApp()
    const before = (await t.app.inject({ method: 'GET', url: '/_emulator/state' })).body
    const res = await t.app.inject({ method: method as 'PUT', url: '/_emulator/state', payload })
    expectServiceError(res, { status: 400, code: 'InvalidRequestContent', message })
    expect((await t.app.inject({ method: 'GET', url: '/_emulator/state' })).body).toBe(before)
  })

  it('connection ids differing only in case are two connections', async () => {
    const t = await buildTestApp()
    const doc = demo()
    doc.tenants[0]!.connections = [
      { id: 'Conn', owner: CONTOSO.admin.upn, authType: 'firstParty' },
      { id: 'conn', owner: CONTOSO.admin.upn, authType: 'firstParty' },
    ]
    const res = await t.app.inject({ method: 'PUT', url: '/_emulator/state', payload: doc })
    expect(res.statusCode, res.body).toBe(200)
  })
})

describe('per-test tenants', () => {
  it('POST /_emulator/tenants copies a template with new ids and returns what a test needs', async () => {
    const t = await buildTestApp()
    const res = await t.app.inject({
      method: 'POST',
      url: '/_emulator/tenants',
      payload: { template: 'contoso' },
    })
    expect(res.statusCode).toBe(201)
    const body = res.json()
    expect(body).toMatchObject({
      name: 'contoso-1',
      domain: 'contoso-1.onmicrosoft.com',
      defaultEnvironment: `Default-${body.tenantId}`,
    })
    expect(body.tenantId).not.toBe(CONTOSO.tenantId)
    expect(body.users.map((u: { upn: string }) => u.upn)).toContain('admin@contoso-1.onmicrosoft.com')
    expect(body.users.map((u: { objectId: string }) => u.objectId)).not.toContain(CONTOSO.admin.id)
    expect(body.flows).toHaveLength(7)
    expect(body.apps.map((a: { clientId: string }) => a.clientId)).not.toContain(
      CONTOSO.automationApp.clientId,
    )
    const list = await t.as(body.adminToken, {
      method: 'GET',
      url: `${ADMIN}/environments/~default/flows?${API}`,
    })
    expect(list.statusCode).toBe(200)
    expect(
      list.json().value.map((f: { properties: { displayName: string } }) => f.properties.displayName),
    ).toContain('Invoice approval')
    // The copy's permissions point at the copy's principals.
    const invoice = body.flows.find((f: { displayName: string }) => f.displayName === 'Invoice approval')
    const perms = await t.as(body.adminToken, {
      method: 'GET',
      url: `${ADMIN}/environments/~default/flows/${invoice.name}/permissions?${API}`,
    })
    const maker = body.users.find((u: { upn: string }) => u.upn.startsWith('maker@'))
    expect(perms.json().value[0]).toMatchObject({ name: maker.objectId, properties: { roleName: 'Owner' } })
  })

  it('tenants created in parallel do not see each other, and DELETE removes one', async () => {
    const t = await buildTestApp()
    const [a, b] = await Promise.all(
      [1, 2].map(async () =>
        (
          await t.app.inject({ method: 'POST', url: '/_emulator/tenants', payload: { template: 'contoso' } })
        ).json(),
      ),
    )
    expect(new Set([a.domain, b.domain])).toEqual(
      new Set(['contoso-1.onmicrosoft.com', 'contoso-2.onmicrosoft.com']),
    )
    const seenByA = await t.as(a.adminToken, {
      method: 'GET',
      url: `${ADMIN}/environments/${b.defaultEnvironment}/flows?${API}`,
    })
    expectServiceError(seenByA, { status: 403, code: 'EnvironmentAccessDenied' })
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/_emulator/tenants/${a.tenantId}` })).statusCode,
    ).toBe(204)
    expectServiceError(
      await t.as(a.adminToken, { method: 'GET', url: `${ADMIN}/environments/~default/flows?${API}` }),
      {
        status: 401,
        code: 'AuthenticationFailed',
      },
    )
    expectServiceError(await t.app.inject({ method: 'DELETE', url: `/_emulator/tenants/${a.tenantId}` }), {
      status: 404,
      code: 'TenantNotFound',
    })
  })

  it('takes a fixture document as template; an unknown template name is a 404', async () => {
    const t = await buildTestApp()
    const doc = demo()
    const res = await t.app.inject({
      method: 'POST',
      url: '/_emulator/tenants',
      payload: { template: { tenants: [doc.tenants[1]] } },
    })
    expect(res.statusCode).toBe(201)
    expect(res.json().domain).toBe('fabrikam-1.onmicrosoft.com')
    expectServiceError(
      await t.app.inject({ method: 'POST', url: '/_emulator/tenants', payload: { template: 'nobody' } }),
      { status: 404, code: 'TenantNotFound' },
    )
    expectServiceError(
      await t.app.inject({
        method: 'POST',
        url: '/_emulator/tenants',
        payload: { template: 'contoso', extra: 1 },
      }),
      { status: 400, code: 'InvalidRequestContent' },
    )
  })

  it('a reset of a created tenant restores it as it was made', async () => {
    const t = await buildTestApp()
    const made = (
      await t.app.inject({ method: 'POST', url: '/_emulator/tenants', payload: { template: 'contoso' } })
    ).json()
    const flow = made.flows[0]
    await t.as(made.adminToken, {
      method: 'DELETE',
      url: `${ADMIN}/environments/${flow.environment}/flows/${flow.name}?${API}`,
    })
    await t.app.inject({ method: 'POST', url: `/_emulator/reset?tenant=${made.tenantId}` })
    expect(
      (
        await t.as(made.adminToken, {
          method: 'GET',
          url: `${ADMIN}/environments/${flow.environment}/flows/${flow.name}?${API}`,
        })
      ).statusCode,
    ).toBe(200)
  })
})
