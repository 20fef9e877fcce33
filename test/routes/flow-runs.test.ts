import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import type { FixtureDocument } from '../../schemas/fixture.ts'
import { DEMO_FIXTURES_PATH, validateFixtureDocument } from '../../server/fixtures.ts'
import { expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp, type TestApp } from '../helpers/build-test-app.ts'
import { API, CONTOSO } from '../helpers/demo.ts'

/**
 * A run's details as `m365 flow run get --withTrigger` reads them: `endTime`, the trigger's name
 * and its outputs behind `outputsLink`, a signed link read without a token.
 */
const RUNS = `/providers/Microsoft.ProcessSimple/environments/${CONTOSO.defaultEnv}/flows/${CONTOSO.flows.invoiceApproval}/runs`
const RUN = '08585093841234567890123456789CU01'
const OUTPUTS = {
  headers: { 'Content-Type': 'application/json' },
  body: { invoiceId: 'INV-1001', amount: 1250, currency: 'EUR' },
}

const demo = () => JSON.parse(readFileSync(DEMO_FIXTURES_PATH, 'utf8')) as FixtureDocument
/** Runs in a stable order: the export lists them newest first. */
const runsOf = (doc: FixtureDocument) =>
  [...invoiceFlow(doc).runs!].sort((a, b) => a.name.localeCompare(b.name))
const invoiceFlow = (doc: FixtureDocument) =>
  doc.tenants[0]!.environments[0]!.flows.find((f) => f.name === CONTOSO.flows.invoiceApproval)!

interface Run {
  properties: {
    endTime?: string
    status: string
    trigger: { name: string; outputsLink: { uri: string; contentSize: number } }
  }
}

async function getRun(t: TestApp, user: string, run = RUN): Promise<Run> {
  const token = await t.mint({ user })
  const res = await t.as(token, { method: 'GET', url: `${RUNS}/${run}?${API}` })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<Run>()
}

/** The link as a path the app answers, without the origin. */
const pathOf = (uri: string) => {
  const url = new URL(uri)
  return url.pathname + url.search
}

describe("GET .../environments/{env}/flows/{flow}/runs/{run} (the caller's own path)", () => {
  it('answers a user with a role on the flow: endTime, trigger name and an outputs link', async () => {
    const t = await buildTestApp()
    const run = await getRun(t, CONTOSO.maker.upn)
    expect(run.properties).toMatchObject({
      endTime: '2025-06-12T07:00:41.5000000Z',
      status: 'Succeeded',
      trigger: { name: 'manual', code: 'OK', status: 'Succeeded' },
    })
    const list = await t.as(await t.mint({ user: CONTOSO.analyst.upn }), {
      method: 'GET',
      url: `${RUNS}?${API}`,
    })
    expect(list.statusCode).toBe(200)
    expect(list.json<{ value: { name: string }[] }>().value.map((r) => r.name)).toContain(RUN)
  })

  it('is as absent for a user without a role as a missing flow, admins included', async () => {
    const t = await buildTestApp()
    const admin = await t.mint({ user: CONTOSO.admin.upn })
    expectServiceError(await t.as(admin, { method: 'GET', url: `${RUNS}/${RUN}?${API}` }), {
      status: 404,
      code: 'FlowNotFound',
    })
    expectServiceError(await t.app.inject({ method: 'GET', url: `${RUNS}/${RUN}?${API}` }), {
      status: 401,
      code: 'AuthenticationFailed',
    })
    const maker = await t.mint({ user: CONTOSO.maker.upn })
    expectServiceError(await t.as(maker, { method: 'GET', url: `${RUNS}/nope?${API}` }), {
      status: 404,
      code: 'WorkflowRunNotFound',
    })
  })
})

describe("a run's outputsLink", () => {
  it("serves the trigger's outputs without a token, sized and hashed as the link says", async () => {
    const t = await buildTestApp()
    const { outputsLink } = (await getRun(t, CONTOSO.maker.upn)).properties.trigger
    const res = await t.app.inject({ method: 'GET', url: pathOf(outputsLink.uri) })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(res.json()).toEqual(OUTPUTS)
    expect(outputsLink.contentSize).toBe(JSON.stringify(OUTPUTS).length)
  })

  it.each([
    ['a changed signature', (q: URLSearchParams) => q.set('sig', `x${q.get('sig')!.slice(1)}`)],
    ['a later expiry', (q: URLSearchParams) => q.set('se', '2099-01-01T00:00:00.0000000Z')],
    ['another permission', (q: URLSearchParams) => q.set('sp', '/runs/other/contents/TriggerOutputs/read')],
  ])('refuses %s: 403 DirectApiInvalidAuthorizationSignature', async (_, change) => {
    const t = await buildTestApp()
    const url = new URL((await getRun(t, CONTOSO.maker.upn)).properties.trigger.outputsLink.uri)
    change(url.searchParams)
    expectServiceError(await t.app.inject({ method: 'GET', url: url.pathname + url.search }), {
      status: 403,
      code: 'DirectApiInvalidAuthorizationSignature',
    })
  })

  it("does not open another run's outputs", async () => {
    const t = await buildTestApp()
    const url = new URL((await getRun(t, CONTOSO.maker.upn)).properties.trigger.outputsLink.uri)
    const other = url.pathname.replace(RUN, '08585093841234567890123456789CU02')
    expectServiceError(await t.app.inject({ method: 'GET', url: other + url.search }), {
      status: 403,
      code: 'DirectApiInvalidAuthorizationSignature',
    })
  })

  it('expires a day after it was given; a missing signature is a 400', async () => {
    const t = await buildTestApp()
    const uri = (await getRun(t, CONTOSO.maker.upn)).properties.trigger.outputsLink.uri
    t.clock.advance(24 * 60 * 60 - 1)
    expect((await t.app.inject({ method: 'GET', url: pathOf(uri) })).statusCode).toBe(200)
    t.clock.advance(1)
    expectServiceError(await t.app.inject({ method: 'GET', url: pathOf(uri) }), {
      status: 403,
      code: 'DirectApiAuthorizationExpired',
    })
    const unsigned = new URL(uri)
    unsigned.searchParams.delete('sig')
    expect((await t.app.inject({ method: 'GET', url: unsigned.pathname + unsigned.search })).statusCode).toBe(
      400,
    )
  })
})

describe('run details in the fixtures', () => {
  it('a Running run has no endTime; a run without trigger details gets manual with empty outputs', async () => {
    const doc = demo()
    invoiceFlow(doc).runs!.push({
      name: 'running-1',
      status: 'Running',
      startTime: '2025-06-14T07:00:00.0000000Z',
    })
    const t = await buildTestApp({ fixtures: doc })
    const run = await getRun(t, CONTOSO.maker.upn, 'running-1')
    expect(run.properties).not.toHaveProperty('endTime')
    expect(run.properties.trigger.name).toBe('manual')
    const outputs = await t.app.inject({ method: 'GET', url: pathOf(run.properties.trigger.outputsLink.uri) })
    expect(outputs.json()).toEqual({ headers: {}, body: {} })
  })

  it('are exported and imported unchanged', async () => {
    const t = await buildTestApp()
    const exported = (await t.app.inject({ method: 'GET', url: '/_emulator/state' })).json<FixtureDocument>()
    expect(runsOf(exported)).toEqual(runsOf(demo()))
    const put = await t.app.inject({ method: 'PUT', url: '/_emulator/state', payload: exported })
    expect(put.statusCode, put.body).toBe(200)
    const again = (await t.app.inject({ method: 'GET', url: '/_emulator/state' })).json<FixtureDocument>()
    expect(runsOf(again)).toEqual(runsOf(demo()))
  })

  it.each([
    [
      'an end time on a Running run',
      { status: 'Running' as const },
      /runs\/0\/endTime: a Running run has no end time/,
    ],
    [
      'an end before the start',
      { endTime: '2025-06-12T06:00:00.0000000Z' },
      /runs\/0\/endTime: ends before its startTime/,
    ],
    ['an unknown trigger field', { trigger: { name: 'manual', kind: 'Http' } }, /runs\/0\/trigger\/kind/],
  ])('refuse %s', (_, change, message) => {
    const doc = demo()
    Object.assign(invoiceFlow(doc).runs![0]!, change)
    expect(() => validateFixtureDocument(doc, 'doc')).toThrow(message)
  })
})
