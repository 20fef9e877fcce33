import { describe, expect, it } from 'vitest'

import { BODY_LIMIT_BYTES } from '../../server/app.ts'
import { expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp } from '../helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const modifyUrl = `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/modifyPermissions?${API}`

async function setup() {
  const t = await buildTestApp()
  return { ...t, token: await t.mint({ user: CONTOSO.admin.upn }) }
}

describe('request ids', () => {
  it('every response carries a new x-ms-request-id and a correlation id', async () => {
    const t = await setup()
    const responses = [
      await t.as(t.token, { method: 'GET', url: `${ADMIN}/environments/~default/flows?${API}` }),
      await t.app.inject({ method: 'GET', url: `${ADMIN}/environments/~default/flows?${API}` }),
      await t.app.inject({ method: 'GET', url: '/no/such/route' }),
      await t.app.inject({ method: 'GET', url: '/bad/%E0%A4%A' }),
    ]
    const ids = responses.map((res) => {
      expect(res.headers['x-ms-request-id']).toMatch(GUID)
      expect(res.headers['x-ms-correlation-request-id']).toMatch(GUID)
      return res.headers['x-ms-request-id']
    })
    expect(new Set(ids).size).toBe(ids.length)
  })

  it("echoes the client's correlation id when it is a GUID, and replaces anything else", async () => {
    const t = await setup()
    const sent = '3F2504E0-4F89-11D3-9A0C-0305E82C3301'
    const echoed = await t.as(t.token, {
      method: 'GET',
      url: `${ADMIN}/environments/~default/flows?${API}`,
      headers: { 'x-ms-correlation-request-id': sent },
    })
    expect(echoed.headers['x-ms-correlation-request-id']).toBe(sent.toLowerCase())
    const replaced = await t.app.inject({
      method: 'GET',
      url: '/nothing',
      headers: { 'x-ms-correlation-request-id': 'abc\u0000<script>' },
    })
    expect(replaced.headers['x-ms-correlation-request-id']).toMatch(GUID)
  })
})

describe('bad requests get a 4xx in the service envelope, never a 500', () => {
  it('an unknown route: 404 NotFound', async () => {
    const t = await setup()
    expectServiceError(
      await t.app.inject({ method: 'GET', url: '/providers/Microsoft.ProcessSimple/nothing?x=1' }),
      {
        status: 404,
        code: 'NotFound',
        message: "No route matches 'GET /providers/Microsoft.ProcessSimple/nothing'.",
      },
    )
    expectServiceError(await t.as(t.token, { method: 'PATCH', url: modifyUrl }), {
      status: 404,
      code: 'NotFound',
    })
  })

  it('a URL that cannot be decoded: 400', async () => {
    const t = await setup()
    expectServiceError(await t.app.inject({ method: 'GET', url: `${ADMIN}/users/%E0%A4%A?${API}` }), {
      status: 400,
      code: 'InvalidRequestContent',
    })
  })

  it(`a body over ${BODY_LIMIT_BYTES} bytes: 413`, async () => {
    const t = await setup()
    const payload = JSON.stringify({ put: [], padding: 'x'.repeat(BODY_LIMIT_BYTES) })
    expectServiceError(
      await t.as(t.token, {
        method: 'POST',
        url: modifyUrl,
        headers: { 'content-type': 'application/json' },
        payload,
      }),
      {
        status: 413,
        code: 'RequestEntityTooLarge',
        message: `The request body is larger than the limit of ${BODY_LIMIT_BYTES} bytes.`,
      },
    )
  })

  it.each([
    'text/plain',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
  ])('a %s body: 415', async (contentType) => {
    const t = await setup()
    expectServiceError(
      await t.as(t.token, {
        method: 'POST',
        url: modifyUrl,
        headers: { 'content-type': contentType },
        payload: 'put=1',
      }),
      {
        status: 415,
        code: 'UnsupportedMediaType',
        message: `The content type '${contentType}' is not supported. Send 'application/json'.`,
      },
    )
  })

  it.each(['application/x-www-form-urlencoded', 'text/plain', 'application/octet-stream'])(
    'an empty %s body is no content, as the CLI for Microsoft 365 sends POST .../stop (axios labels it so)',
    async (contentType) => {
      const t = await setup()
      const res = await t.as(t.token, {
        method: 'POST',
        url: `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/stop?${API}`,
        headers: { 'content-type': contentType, 'content-length': '0' },
      })
      expect(res.statusCode, res.body).toBe(200)
    },
  )

  it.each([
    ['malformed JSON', '{"put": ['],
    ['a __proto__ key', '{"__proto__": {"polluted": true}, "put": []}'],
    ['a constructor.prototype key', '{"constructor": {"prototype": {"polluted": true}}}'],
    ['deeply nested JSON', `${'['.repeat(5000)}${']'.repeat(5000)}`],
  ])('%s: 400 InvalidRequestContent', async (_, payload) => {
    const t = await setup()
    expectServiceError(
      await t.as(t.token, {
        method: 'POST',
        url: modifyUrl,
        headers: { 'content-type': 'application/json' },
        payload,
      }),
      { status: 400, code: 'InvalidRequestContent' },
    )
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })

  it('a path segment over 256 characters: 400 naming the parameter', async () => {
    const t = await setup()
    const res = await t.as(t.token, {
      method: 'GET',
      url: `${ADMIN}/environments/~default/flows/${'a'.repeat(300)}?${API}`,
    })
    expectServiceError(res, {
      status: 400,
      code: 'InvalidRequestContent',
      message: /params\.flow must NOT have more than 256 characters/,
    })
  })

  it('SQL in path segments is only data', async () => {
    const t = await setup()
    const flow = encodeURIComponent("x' OR '1'='1")
    expectServiceError(
      await t.as(t.token, { method: 'GET', url: `${ADMIN}/environments/~default/flows/${flow}?${API}` }),
      {
        status: 404,
        code: 'FlowNotFound',
        message: "Could not find flow 'x' OR '1'='1'.",
      },
    )
    expect(t.app.repos.db.pragma('integrity_check', { simple: true })).toBe('ok')
  })

  it('an error thrown by the code itself: 500 InternalServerError without internals', async () => {
    const t = await buildTestApp()
    t.app.get('/_test/throw', async () => {
      throw new Error('secret internal detail')
    })
    const res = await t.app.inject({ method: 'GET', url: '/_test/throw' })
    expectServiceError(res, {
      status: 500,
      code: 'InternalServerError',
      message: 'The server encountered an internal error.',
    })
    expect(res.body).not.toContain('secret')
  })
})
