import fc from 'fast-check'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { describe, expect, it } from 'vitest'

import { buildTestApp, type TestApp } from '../helpers/build-test-app.ts'
import { CONTOSO } from '../helpers/demo.ts'

/**
 * Property-based fuzzing of every surface: random and adversarial path segments, query
 * strings, headers, content types and bodies. Whatever comes in, the answer is a documented
 * success or a well-formed 4xx in the surface's own envelope, never a 5xx; afterwards the database
 * passes its integrity check and still answers correctly. FUZZ_RUNS and FUZZ_SEED replay a run.
 */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 250)
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261126)

const ADVERSARIAL = [
  '..',
  '%2e%2e',
  '%2F',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  '%ZZ',
  '%C0%AF',
  "' OR 1=1 --",
  '"; DROP TABLE flows; --',
  '~default',
  '__proto__',
  'constructor',
  '💥🔥',
  'ＡＢＣ',
  '\u202e',
  'a'.repeat(300),
  'x'.repeat(5000),
  '-1',
  '1e309',
  'null',
  '{}',
  '*',
  '?',
  '#',
]

const segment = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(CONTOSO.defaultEnv, CONTOSO.flows.invoiceApproval, CONTOSO.admin.id),
  },
  { weight: 3, arbitrary: fc.constantFrom(...ADVERSARIAL) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent) },
)

const queryValue = fc.oneof(
  fc.constantFrom(
    '2016-11-01',
    '2017-05-01',
    '',
    '5',
    '0',
    '-3',
    '251',
    'softDeletedFlows',
    "userPrincipalName eq 'x'",
  ),
  fc.constantFrom(...ADVERSARIAL),
  fc.string({ maxLength: 30 }),
)
const query = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(
          'api-version',
          '$top',
          '$skiptoken',
          'include',
          '$filter',
          '$select',
          'tenant',
          'limit',
          'status',
        ),
        fc.string({ maxLength: 10 }),
      ),
      queryValue,
    ),
    { maxLength: 5 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'))

const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`
const body = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      '{}',
      'null',
      '{"put":[],"delete":[]}',
      '{"put":[{"properties":{"principal":{"id":"00000000-0000-4000-8000-000000000001","type":"User"},"roleName":"CanView"}}]}',
      '{"delete":[{"id":"aa85b976-6c9b-4a2d-93d9-b834a1e41e65"}]}',
      '{"__proto__":{"polluted":true},"put":[]}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '{"put":[],"put":{}}',
      deep(2000),
      `[${'1,'.repeat(100_000)}1]`,
      '{"put":' + JSON.stringify(new Array(5000).fill({ properties: {} })) + '}',
      '{"tenants":[]}',
      '{"advanceSeconds":1e308}',
      '{"user":"admin@contoso.onmicrosoft.com","audience":"https://graph.microsoft.com"}',
      'grant_type=client_credentials&client_id=x&client_secret=y&scope=z',
      '<xml/>',
      '\u0000\u0001',
      '{"a":',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
)
const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/xml',
  '*/*',
  'nonsense',
)
const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS')

type Auth = 'admin' | 'graph' | 'maker' | 'garbage' | 'none' | 'huge'

function request(templates: ((s: string[]) => string)[]) {
  return fc.record({
    template: fc.integer({ min: 0, max: templates.length - 1 }),
    segments: fc.array(segment, { minLength: 4, maxLength: 4 }),
    query,
    method,
    contentType,
    body: fc.option(body, { nil: undefined }),
    auth: fc.constantFrom<Auth>('admin', 'admin', 'admin', 'graph', 'maker', 'garbage', 'none', 'huge'),
    extraHeader: fc.option(
      fc.tuple(
        fc.constantFrom(
          'x-ms-correlation-request-id',
          'accept',
          'origin',
          'x-emulator-key',
          'client-request-id',
          'cookie',
        ),
        fc.string({ maxLength: 60 }),
      ),
      { nil: undefined },
    ),
  })
}

/** A 4xx must be one of the envelopes the surfaces document, in the one its path belongs to. */
function expectWellFormed(path: string, res: LightMyRequestResponse): void {
  expect(res.statusCode, `${res.statusCode} ${path}: ${res.body.slice(0, 300)}`).toBeLessThan(500)
  if (res.statusCode < 400 || res.statusCode === 405 || res.body === '') return
  const type = res.headers['content-type'] ?? ''
  if (String(type).startsWith('text/html')) {
    // Entra's pages (authorize, device login) answer some errors as pages, as Entra does.
    expect(path).toMatch(/authorize|devicelogin/)
    return
  }
  expect(String(type)).toMatch(/^application\/json/)
  const parsed = JSON.parse(res.body) as Record<string, unknown>
  const error = parsed['error']
  if (path.startsWith('/v1.0/')) {
    expect(error).toMatchObject({
      code: expect.any(String),
      message: expect.any(String),
      innerError: expect.any(Object),
    })
  } else if (typeof error === 'string') {
    // Entra: {error, error_description, error_codes, ...}
    expect(parsed).toMatchObject({ error_description: expect.any(String) })
  } else if (error !== undefined) {
    expect(error).toMatchObject({ code: expect.any(String), message: expect.any(String) })
  } else {
    // The gateway's own shapes (flow-admin-api.md §5): {statusCode, message} for a 429,
    // {status, message, source} for a token-exchange refusal.
    expect(parsed['statusCode'] ?? parsed['status']).toBe(res.statusCode)
    expect(parsed['message']).toEqual(expect.any(String))
  }
}

async function fuzz(
  t: TestApp,
  templates: ((s: string[]) => string)[],
  tokens: Record<Auth, string | undefined>,
) {
  await fc.assert(
    fc.asyncProperty(request(templates), async (r) => {
      const path = templates[r.template]!(r.segments)
      const url = r.query ? `${path}?${r.query}` : path
      const headers: Record<string, string> = {}
      const token = tokens[r.auth]
      if (token !== undefined) headers['authorization'] = token
      if (r.contentType) headers['content-type'] = r.contentType
      if (r.extraHeader) headers[r.extraHeader[0]] = r.extraHeader[1]
      const options: InjectOptions = { method: r.method, url, headers }
      if (r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD') options.payload = r.body
      let res: LightMyRequestResponse
      try {
        res = await t.app.inject(options)
      } catch (error) {
        // The test client itself refuses some inputs (invalid header characters); nothing was sent.
        if (error instanceof TypeError || (error as { code?: string }).code === 'ERR_INVALID_CHAR') return
        throw error
      }
      // The client resolves dot segments (`/v1.0/..` is `/`): judge by the path that was sent.
      expectWellFormed(new URL(path, 'http://emulator').pathname, res)
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  )
}

async function setup() {
  const t = await buildTestApp({ journal: { size: 200 } })
  const admin = await t.mint({ user: CONTOSO.admin.upn })
  const tokens: Record<Auth, string | undefined> = {
    admin: `Bearer ${admin}`,
    graph: `Bearer ${await t.mint({ user: CONTOSO.admin.upn, audience: 'https://graph.microsoft.com' })}`,
    maker: `Bearer ${await t.mint({ user: CONTOSO.maker.upn })}`,
    garbage: 'Bearer eyJhbGciOiJub25lIn0.e30.',
    none: undefined,
    huge: `Bearer ${'A'.repeat(8000)}`,
  }
  return { t, tokens }
}

/** After the storm: the database is intact and, reset, answers exactly as before. */
async function expectHealthy(t: TestApp): Promise<void> {
  const { db } = t.app.repos
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  expect(db.pragma('foreign_key_check')).toEqual([])
  const reset = await t.app.inject({ method: 'POST', url: '/_emulator/reset' })
  expect(reset.statusCode).toBe(200)
  const token = await t.mint({ user: CONTOSO.admin.upn })
  const res = await t.as(token, {
    method: 'GET',
    url: `/providers/Microsoft.ProcessSimple/scopes/admin/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/permissions?api-version=2016-11-01`,
  })
  expect(res.statusCode).toBe(200)
  expect(res.json().value).toHaveLength(3)
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
}

const FLOW = '/providers/Microsoft.ProcessSimple/scopes/admin'
const adminPaths = (prefix: string): ((s: string[]) => string)[] => [
  (s) => `${prefix}/environments/${s[0]}/flows`,
  (s) => `${prefix}/environments/${s[0]}/v2/flows`,
  (s) => `${prefix}/environments/${s[0]}/flows/${s[1]}`,
  (s) => `${prefix}/environments/${s[0]}/flows/${s[1]}/permissions`,
  (s) => `${prefix}/environments/${s[0]}/flows/${s[1]}/modifyPermissions`,
  (s) => `${prefix}/environments/${s[0]}/flows/${s[1]}/${s[2]}`,
  (s) => `${prefix}/environments/${s[0]}/flows/${s[1]}/restore`,
  (s) => `${prefix}/users/${s[0]}`,
  (s) => `${prefix}/environments/${s[0]}/users/${s[1]}/approvals`,
  (s) => `${prefix}/${s[0]}/${s[1]}/${s[2]}/${s[3]}`,
]

describe('fuzzing every surface: never a 5xx, always the right envelope, the database intact', () => {
  it('the Flow admin API', async () => {
    const { t, tokens } = await setup()
    await fuzz(t, adminPaths(FLOW), tokens)
    await expectHealthy(t)
  })

  it('the connector surface', async () => {
    const { t, tokens } = await setup()
    const connection = (s: string) => (s.length % 2 ? 'contoso-admin-firstparty' : s)
    await fuzz(
      t,
      adminPaths(FLOW).map(
        (path) => (s: string[]) => `/apim/microsoftflowforadmins/${connection(s[3]!)}${path(s)}`,
      ),
      tokens,
    )
    await expectHealthy(t)
  })

  it('the token, discovery, authorize and device endpoints', async () => {
    const { t, tokens } = await setup()
    const tenant = (s: string) => (s.length % 3 === 0 ? CONTOSO.tenantId : s)
    await fuzz(
      t,
      [
        (s) => `/${tenant(s[0]!)}/oauth2/v2.0/token`,
        (s) => `/${tenant(s[0]!)}/oauth2/token`,
        (s) => `/${tenant(s[0]!)}/oauth2/v2.0/devicecode`,
        (s) => `/${tenant(s[0]!)}/oauth2/v2.0/authorize`,
        (s) => `/${tenant(s[0]!)}/v2.0/.well-known/openid-configuration`,
        (s) => `/${tenant(s[0]!)}/discovery/v2.0/keys`,
        () => '/common/discovery/instance',
        (s) => `/devicelogin/${s[1]}`,
        () => '/devicelogin',
        (s) => `/v1.0/${s[0]}`,
        (s) => `/v1.0/users/${s[0]}`,
        (s) => `/v1.0/groups/${s[0]}`,
        () => '/v1.0/me',
      ],
      tokens,
    )
    await expectHealthy(t)
  })

  it('the control plane', async () => {
    const { t, tokens } = await setup()
    await fuzz(
      t,
      [
        () => '/_emulator/reset',
        () => '/_emulator/state',
        () => '/_emulator/tokens',
        () => '/_emulator/tenants',
        (s) => `/_emulator/tenants/${s[0]}`,
        () => '/_emulator/faults',
        (s) => `/_emulator/faults/${s[0]}`,
        () => '/_emulator/clock',
        () => '/_emulator/requests',
        () => '/_emulator/throttling',
        () => '/_emulator/connections',
        (s) => `/_emulator/connections/${s[0]}`,
        () => '/_emulator/overview',
        (s) => `/_emulator/ui/${s[0]}`,
        (s) => `/_emulator/${s[0]}`,
      ],
      tokens,
    )
    // Clock and fault rules the fuzzer left behind go with the reset.
    await expectHealthy(t)
  })
})
