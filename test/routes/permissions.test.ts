import { describe, expect, it } from 'vitest'

import { MAX_PERMISSION_CHANGES } from '../../schemas/permission.ts'
import { expectEmptySuccess, expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp } from '../helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'

const ENV = CONTOSO.defaultEnv
const FLOW = CONTOSO.flows.invoiceApproval
const permissionsUrl = (flow: string = FLOW) =>
  `${ADMIN}/environments/${ENV}/flows/${flow}/permissions?${API}`
const modifyUrl = (flow: string = FLOW) =>
  `${ADMIN}/environments/${ENV}/flows/${flow}/modifyPermissions?${API}`
const permissionId = (principal: string, flow: string = FLOW) =>
  `/providers/Microsoft.ProcessSimple/environments/${ENV}/flows/${flow}/permissions/${principal}`
const NEWCOMER = '5a1a6d2c-6b8e-4d0a-9a55-0e3f1f0c2b11'

async function setup() {
  const t = await buildTestApp()
  const token = await t.mint({ user: CONTOSO.admin.upn })
  const list = async (flow: string = FLOW) => {
    const res = await t.as(token, { method: 'GET', url: permissionsUrl(flow) })
    expect(res.statusCode).toBe(200)
    return res.json<{
      value: { name: string; properties: { roleName: string; principal: { type: string } } }[]
    }>().value
  }
  const roles = async (flow: string = FLOW) =>
    Object.fromEntries((await list(flow)).map((p) => [p.name, p.properties.roleName]))
  const modify = (payload: unknown, flow: string = FLOW) =>
    t.as(token, { method: 'POST', url: modifyUrl(flow), payload: payload as Record<string, unknown> })
  return { ...t, token, list, roles, modify }
}

const put = (id: string, roleName: string, type = 'User', extra: Record<string, unknown> = {}) => ({
  properties: { principal: { id, type, ...extra }, roleName },
})

describe('GET .../permissions (Get-AdminFlowOwnerRole)', () => {
  it('lists every entry exactly as reference §2.1, Owner first, without the service principal', async () => {
    const t = await setup()
    const res = await t.as(t.token, { method: 'GET', url: permissionsUrl() })
    expect(res.statusCode).toBe(200)
    const entry = (principal: string, type: string, roleName: string) => ({
      name: principal,
      id: permissionId(principal),
      type: '/providers/Microsoft.ProcessSimple/environments/flows/permissions',
      properties: { roleName, permissionType: 'Principal', principal: { id: principal, type } },
    })
    expect(res.json()).toEqual({
      value: [
        entry(CONTOSO.maker.id, 'User', 'Owner'),
        entry(CONTOSO.analyst.id, 'User', 'CanEdit'),
        entry(CONTOSO.group, 'Group', 'CanView'),
      ],
    })
  })

  it('gives an empty list for a flow whose only owner is a service principal', async () => {
    const t = await setup()
    expect(await t.list(CONTOSO.flows.heartbeat)).toEqual([])
  })

  it('answers 404 FlowNotFound for an unknown flow', async () => {
    const t = await setup()
    expectServiceError(await t.as(t.token, { method: 'GET', url: permissionsUrl('unknown-flow') }), {
      status: 404,
      code: 'FlowNotFound',
      message: "Could not find flow 'unknown-flow'.",
    })
  })
})

describe('GET .../permissions after writes', () => {
  it('serves a remembered list identically, and a written change on the very next request', async () => {
    const t = await setup()
    const raw = async () => {
      const res = await t.as(t.token, { method: 'GET', url: permissionsUrl() })
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
      expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.body)))
      return res.body
    }
    expect(await raw()).toBe(await raw())
    const first = await t.list()
    expect(await t.list()).toEqual(first)
    expectEmptySuccess(await t.modify({ put: [put(CONTOSO.group, 'CanEdit', 'Group')] }))
    expect((await t.roles())[CONTOSO.group]).toBe('CanEdit')
    expectEmptySuccess(await t.modify({ delete: [{ id: CONTOSO.group }] }))
    expect(await t.list()).toEqual(first.filter((p) => p.name !== CONTOSO.group))
  })

  it('answers what the database holds after a raw write, a rolled-back write and a reset', async () => {
    const t = await setup()
    const first = await t.list()
    expect(first.map((p) => p.name)).toContain(CONTOSO.group)
    t.app.repos.db
      .prepare('DELETE FROM flow_permissions WHERE flow = ? AND principal_id = ?')
      .run(FLOW, CONTOSO.group)
    expect(await t.list()).toEqual(first.filter((p) => p.name !== CONTOSO.group))
    // All or nothing: the valid put is rolled back with the refused delete of the Owner.
    expectServiceError(
      await t.modify({ put: [put(NEWCOMER, 'CanEdit')], delete: [{ id: CONTOSO.maker.id }] }),
      { status: 400, code: 'CannotRemoveOwner' },
    )
    expect(await t.list()).toEqual(first.filter((p) => p.name !== CONTOSO.group))
    expect((await t.app.inject({ method: 'POST', url: '/_emulator/reset' })).statusCode).toBe(200)
    expect(await t.list()).toEqual(first)
  })
})

describe('POST .../modifyPermissions (Edit-AdminFlowOwnerRole)', () => {
  it('adds a principal of any GUID, as the CLI for Microsoft 365 sends it', async () => {
    const t = await setup()
    expectEmptySuccess(await t.modify({ put: [put(NEWCOMER, 'CanView')] }))
    expect((await t.roles())[NEWCOMER]).toBe('CanView')
  })

  it('accepts the PowerShell body: email, displayName, null email for a group', async () => {
    const t = await setup()
    const group = 'b1c2d3e4-0000-4000-8000-000000000001'
    expectEmptySuccess(
      await t.modify({
        put: [
          put(NEWCOMER, 'CanEdit', 'User', {
            email: 'new@contoso.onmicrosoft.com',
            displayName: 'New Person',
          }),
          put(group, 'CanView', 'Group', { email: null, displayName: 'Some group' }),
        ],
      }),
    )
    const stored = t.app.repos.permissions.find(ENV, FLOW, NEWCOMER)
    expect(stored).toMatchObject({
      email: 'new@contoso.onmicrosoft.com',
      display_name: 'New Person',
      role_name: 'CanEdit',
    })
    expect((await t.roles())[group]).toBe('CanView')
  })

  it('upserts: raising CanView to CanEdit, lowering CanEdit to CanView, and CanViewWithShare', async () => {
    const t = await setup()
    expectEmptySuccess(await t.modify({ put: [put(CONTOSO.group, 'CanEdit', 'Group')] }))
    expectEmptySuccess(await t.modify({ put: [put(CONTOSO.analyst.id, 'CanViewWithShare')] }))
    const roles = await t.roles()
    expect(roles[CONTOSO.group]).toBe('CanEdit')
    expect(roles[CONTOSO.analyst.id]).toBe('CanViewWithShare')
    expect(await t.list()).toHaveLength(3)
  })

  it('stores a service principal but never lists it', async () => {
    const t = await setup()
    const sp = 'c0ffee00-0000-4000-8000-000000000001'
    expectEmptySuccess(await t.modify({ put: [put(sp, 'CanEdit', 'ServicePrincipal')] }))
    expect(t.app.repos.permissions.find(ENV, FLOW, sp)?.role_name).toBe('CanEdit')
    expect((await t.roles())[sp]).toBeUndefined()
  })

  it.each(['CanView', 'CanEdit', 'CanViewWithShare'])(
    'refuses to put %s on the Owner: 400 PermissionDowngradeNotAllowed',
    async (role) => {
      const t = await setup()
      const res = await t.modify({ put: [put(CONTOSO.maker.id.toUpperCase(), role)] })
      expectServiceError(res, {
        status: 400,
        code: 'PermissionDowngradeNotAllowed',
        message: `Principal '${CONTOSO.maker.id.toUpperCase()}' already has greater permissions to the flow. The permission cannot be downgraded.`,
      })
      expect((await t.roles())[CONTOSO.maker.id]).toBe('Owner')
    },
  )

  it('deletes by bare principal id (CLI, PnP) and by full permission id (PowerShell -RoleId)', async () => {
    const t = await setup()
    expectEmptySuccess(await t.modify({ delete: [{ id: CONTOSO.analyst.id }] }))
    expectEmptySuccess(await t.modify({ delete: [{ id: permissionId(CONTOSO.group) }] }))
    expect(Object.keys(await t.roles())).toEqual([CONTOSO.maker.id])
  })

  it('treats deleting a non-member as a no-op', async () => {
    const t = await setup()
    expectEmptySuccess(await t.modify({ delete: [{ id: NEWCOMER }, { id: permissionId(NEWCOMER) }] }))
    expect(await t.list()).toHaveLength(3)
  })

  it('refuses to delete the Owner (creator) with 400 CannotRemoveOwner', async () => {
    const t = await setup()
    for (const id of [CONTOSO.maker.id, permissionId(CONTOSO.maker.id)]) {
      const res = await t.modify({ delete: [{ id }] })
      expectServiceError(res, {
        status: 400,
        code: 'CannotRemoveOwner',
        message: `Principal '${CONTOSO.maker.id}' is the owner (creator) of the flow and cannot be removed.`,
      })
    }
    expect((await t.roles())[CONTOSO.maker.id]).toBe('Owner')
  })

  it('applies all of a request or none of it', async () => {
    const t = await setup()
    const before = await t.list()
    const res = await t.modify({
      put: [put(NEWCOMER, 'CanEdit')],
      delete: [{ id: CONTOSO.analyst.id }, { id: CONTOSO.maker.id }],
    })
    expectServiceError(res, { status: 400, code: 'CannotRemoveOwner' })
    expect(await t.list()).toEqual(before)
  })

  it('accepts an empty request', async () => {
    const t = await setup()
    expectEmptySuccess(await t.modify({}))
    expectEmptySuccess(await t.modify({ put: [], delete: [] }))
  })

  it.each([
    ['a missing body', undefined, /body must be object/],
    ['an unknown top-level field', { puts: [] }, /body has an unknown property 'puts'/],
    [
      'a role that cannot be granted',
      { put: [put(NEWCOMER, 'Owner')] },
      /body\.put\[0\]\.properties\.roleName must be one of: CanView, CanViewWithShare, CanEdit/,
    ],
    [
      'a principal type it does not know',
      { put: [put(NEWCOMER, 'CanView', 'Tenant')] },
      /principal\.type must be one of: User, Group, ServicePrincipal/,
    ],
    [
      'a principal id that is not a GUID',
      { put: [put('not-a-guid', 'CanView')] },
      /body\.put\[0\]\.properties\.principal\.id must be a GUID/,
    ],
    [
      'a number as the principal id',
      { put: [put(42 as unknown as string, 'CanView')] },
      /principal\.id must be string/,
    ],
    ['put as an object', { put: {} }, /body\.put must be array/],
    ['a delete entry without id', { delete: [{}] }, /body\.delete\[0\] must have the property 'id'/],
    [
      'a delete id that is neither',
      { delete: [{ id: 'bob' }] },
      /body\.delete\[0\]\.id must be a principal object id or a permission id/,
    ],
    [
      'the permission id of another flow',
      { delete: [{ id: permissionId(CONTOSO.analyst.id, CONTOSO.flows.syncCrm) }] },
      /permission of another flow/,
    ],
    [
      'a principal in the put without properties',
      { put: [{ principal: { id: NEWCOMER, type: 'User' } }] },
      /body\.put\[0\] must have the property 'properties'/,
    ],
  ])('refuses %s with 400 InvalidRequestContent naming the field', async (_, payload, message) => {
    const t = await setup()
    const res = await t.as(t.token, {
      method: 'POST',
      url: modifyUrl(),
      headers: { 'content-type': 'application/json' },
      payload: payload === undefined ? '' : JSON.stringify(payload),
    })
    expectServiceError(res, { status: 400, code: 'InvalidRequestContent', message })
  })

  it(`refuses more than ${MAX_PERMISSION_CHANGES} entries in one list`, async () => {
    const t = await setup()
    const entries = Array.from({ length: MAX_PERMISSION_CHANGES + 1 }, () => ({ id: NEWCOMER }))
    expectServiceError(await t.modify({ delete: entries }), {
      status: 400,
      code: 'InvalidRequestContent',
      message: /body\.delete must NOT have more than 500 items/,
    })
  })

  it('answers 404 FlowNotFound for an unknown flow', async () => {
    const t = await setup()
    expectServiceError(await t.modify({ put: [] }, 'missing'), { status: 404, code: 'FlowNotFound' })
  })
})
