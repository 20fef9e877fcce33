import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import type { FixtureDocument } from '../../schemas/fixture.ts'
import { validateFixtureDocument } from '../../server/fixtures.ts'
import { buildTestApp } from '../helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi
const demoText = () => readFileSync('fixtures/demo-tenant.json', 'utf8')
/** The demo tenant with every GUID in capitals: the same ids, spelt as a client may spell them. */
const shouted = () => JSON.parse(demoText().replace(GUID, (id) => id.toUpperCase())) as FixtureDocument
const PFX = readFileSync('fixtures/certs/contoso-automation.pfx').toString('base64')

describe('ids are lower-cased once, where they enter', () => {
  it('a fixture document is answered decoded: ids lower-cased in a copy, names as written', () => {
    const input = shouted()
    const doc = validateFixtureDocument(input, 'test')
    const contoso = doc.tenants[0]!
    expect(contoso.id).toBe(CONTOSO.tenantId)
    expect(contoso.users.find((u) => u.userPrincipalName === CONTOSO.admin.upn)?.objectId).toBe(
      CONTOSO.admin.id,
    )
    expect(contoso.apps[0]!.clientId).toBe(CONTOSO.automationApp.clientId)
    const invoice = contoso.environments
      .flatMap((e) => e.flows)
      .find((f) => f.name === CONTOSO.flows.invoiceApproval)
    expect(invoice?.creator.objectId).toBe(CONTOSO.maker.id)
    expect(invoice?.permissions.every((p) => p.principalId === p.principalId.toLowerCase())).toBe(true)
    // Not ids: an environment's name keeps its spelling; the input is left as it was.
    expect(contoso.environments.find((e) => e.isDefault)?.name).toBe(
      `Default-${CONTOSO.tenantId.toUpperCase()}`,
    )
    expect(input.tenants[0]!.id).toBe(CONTOSO.tenantId.toUpperCase())
  })

  it('two spellings of one id are one id: a duplicate, and the creator listed again', () => {
    const doc = shouted()
    const users = doc.tenants[0]!.users
    users.push({
      ...users[0]!,
      objectId: users[0]!.objectId.toLowerCase(),
      userPrincipalName: 'twin@contoso.onmicrosoft.com',
    })
    expect(() => validateFixtureDocument(doc, 'test')).toThrow(/duplicate object id/)

    const again = shouted()
    const flow = again.tenants[0]!.environments.flatMap((e) => e.flows).find((f) => f.permissions.length > 0)!
    flow.permissions.push({
      principalId: flow.creator.objectId.toLowerCase(),
      principalType: 'User',
      roleName: 'CanView',
    })
    expect(() => validateFixtureDocument(again, 'test')).toThrow(
      /is listed twice \(the creator is the Owner\)/,
    )
  })

  it('an app seeded from capitals stores, serves and exports the lower-case ids', async () => {
    const t = await buildTestApp({ fixtures: shouted() })
    const token = await t.mint({ user: CONTOSO.admin.upn })
    const flow = await t.as(token, {
      method: 'GET',
      url: `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval.toUpperCase()}?${API}`,
    })
    expect(flow.statusCode).toBe(200)
    expect(flow.json().name).toBe(CONTOSO.flows.invoiceApproval)
    const exported = (await t.app.inject({ method: 'GET', url: '/_emulator/state' })).json<FixtureDocument>()
    const ids = JSON.stringify(
      exported.tenants.map(({ signingKey: _key, connections: _c, ...tenant }) => tenant),
    )
    const guids = ids.match(GUID) ?? []
    expect(guids.length).toBeGreaterThan(20)
    // Only environment names, which are names and not ids, keep the capitals they were given.
    const names = exported.tenants.flatMap((x) => x.environments.map((e) => e.name)).join(' ')
    expect(guids.filter((id) => id !== id.toLowerCase()).sort()).toEqual((names.match(GUID) ?? []).sort())
  })

  it('control-plane input: a PATCH by a capitalised tenant id, a connection by a capitalised clientId', async () => {
    const t = await buildTestApp()
    const patched = await t.app.inject({
      method: 'PATCH',
      url: '/_emulator/state',
      payload: { tenants: [{ id: CONTOSO.tenantId.toUpperCase(), displayName: 'Contoso Renamed' }] },
    })
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toEqual({ tenants: [CONTOSO.tenantId] })

    const created = await t.app.inject({
      method: 'POST',
      url: '/_emulator/connections',
      payload: {
        id: 'capital-cert',
        tenant: CONTOSO.tenantId.toUpperCase(),
        owner: CONTOSO.ppadmin.id.toUpperCase(),
        authType: 'CertOauth',
        clientId: CONTOSO.automationApp.clientId.toUpperCase(),
        pfxBase64: PFX,
        password: 'emulator',
      },
    })
    expect(created.statusCode).toBe(201)
    expect(created.json()).toMatchObject({
      tenantId: CONTOSO.tenantId,
      owner: CONTOSO.ppadmin.id,
      clientId: CONTOSO.automationApp.clientId,
    })
  })

  it('the journal records an Entra URL tenant lower-cased, and a filter in any case finds it', async () => {
    const t = await buildTestApp()
    const segment = CONTOSO.tenantId.toUpperCase()
    const discovery = await t.app.inject({
      method: 'GET',
      url: `/${segment}/v2.0/.well-known/openid-configuration`,
    })
    expect(discovery.statusCode).toBe(200)
    for (const filter of [segment, CONTOSO.tenantId]) {
      const entries = (
        await t.app.inject({ method: 'GET', url: `/_emulator/requests?tenant=${filter}` })
      ).json().value as { tenant: string; path: string }[]
      expect(entries.map((e) => [e.tenant, e.path])).toEqual([
        [CONTOSO.tenantId, `/${segment}/v2.0/.well-known/openid-configuration`],
      ])
    }
  })
})
