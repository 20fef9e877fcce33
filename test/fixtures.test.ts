import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { buildApp } from '../server/app.ts'
import {
  DEMO_FIXTURES_PATH,
  FixtureError,
  loadFixtureFile,
  validateFixtureDocument,
} from '../server/fixtures.ts'
import type { FixtureDocument } from '../schemas/fixture.ts'
import { buildTestApp } from './helpers/build-test-app.ts'
import { ADMIN, API, CONTOSO } from './helpers/demo.ts'

const PFX_BASE64 = readFileSync('fixtures/certs/contoso-automation.pfx').toString('base64')
const demo = () => JSON.parse(readFileSync(DEMO_FIXTURES_PATH, 'utf8')) as FixtureDocument

function writeTemp(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'paae-fixture-')), 'fixture.json')
  writeFileSync(file, content)
  return file
}

describe('the demo tenant fixture', () => {
  it('is valid and keeps the documented ids', () => {
    const doc = loadFixtureFile(DEMO_FIXTURES_PATH)
    expect(doc.tenants.map((t) => [t.name, t.id, t.domain])).toEqual([
      ['contoso', CONTOSO.tenantId, CONTOSO.domain],
      ['fabrikam', '1d6b6773-57e9-447d-95d1-c2ec8975f189', 'fabrikam.onmicrosoft.com'],
    ])
    // The admin users own no flows, so their user details can be removed.
    const contoso = doc.tenants[0]!
    const owners = contoso.environments.flatMap((e) => e.flows.map((f) => f.creator.objectId))
    expect(owners).not.toContain(CONTOSO.admin.id)
    expect(owners).not.toContain(CONTOSO.ppadmin.id)
  })
})

describe('fixture validation names the file, the path and the problem', () => {
  const cases: [string, (doc: FixtureDocument) => unknown, RegExp][] = [
    [
      'a missing field',
      (d) => {
        delete (d.tenants[0] as Partial<FixtureDocument['tenants'][0]>).domain
        return d
      },
      /\/tenants\/0: must have required properties domain|\/tenants\/0.*domain/,
    ],
    ['a misspelt field', (d) => ({ ...d, tenant: [] }), /\/tenant: /],
    [
      'a bad GUID',
      (d) => {
        d.tenants[0]!.users[0]!.objectId = 'nope'
        return d
      },
      /\/tenants\/0\/users\/0\/objectId: must match pattern/,
    ],
    [
      'a bad flow state',
      (d) => {
        ;(d.tenants[0]!.environments[0]!.flows[0]! as { state: string }).state = 'Running'
        return d
      },
      /\/tenants\/0\/environments\/0\/flows\/0\/state: /,
    ],
    [
      'a role outside the list names the roles it allows',
      (d) => {
        ;(d.tenants[0]!.users[0]! as { roles: string[] }).roles = ['Boss']
        return d
      },
      /\/tenants\/0\/users\/0\/roles\/0: must be one of: GlobalAdministrator, PowerPlatformAdministrator, GlobalReader$/,
    ],
    [
      'a duplicate user',
      (d) => {
        d.tenants[1]!.users[0]!.objectId = d.tenants[0]!.users[0]!.objectId
        return d
      },
      /\/tenants\/1\/users\/0\/objectId: duplicate object id '0ecf2eb2-b513-4569-9cc0-304908da507e' \(first at \/tenants\/0\/users\/0\/objectId\)/,
    ],
    [
      'a default environment with the wrong name',
      (d) => {
        d.tenants[0]!.environments[0]!.name = 'Default-elsewhere'
        return d
      },
      /\/tenants\/0\/environments\/0\/name: the default environment must be named 'Default-783478ba/,
    ],
    [
      'two default environments',
      (d) => {
        d.tenants[0]!.environments[1]!.isDefault = true
        return d
      },
      /\/tenants\/0\/environments: exactly one environment must be the default/,
    ],
    [
      'the creator listed again',
      (d) => {
        d.tenants[0]!.environments[0]!.flows[0]!.permissions[0]!.principalId = CONTOSO.maker.id
        return d
      },
      /permissions\/0\/principalId: '.*' is listed twice/,
    ],
    [
      'a certificate that is not one',
      (d) => {
        d.tenants[0]!.apps[0]!.certificates[0] = { certificatePem: 'garbage' }
        return d
      },
      /\/tenants\/0\/apps\/0\/certificates\/0: not a PEM X.509 certificate/,
    ],
    [
      'a PFX with the wrong password',
      (d) => {
        d.tenants[0]!.apps[0]!.certificates[0] = { pfxBase64: PFX_BASE64, password: 'wrong' }
        return d
      },
      /\/tenants\/0\/apps\/0\/certificates\/0: not a PFX file, or the password is wrong/,
    ],
  ]
  it.each(cases)('%s', (_, edit, message) => {
    const file = writeTemp(JSON.stringify(edit(demo())))
    expect(() => loadFixtureFile(file)).toThrow(FixtureError)
    expect(() => loadFixtureFile(file)).toThrow(
      new RegExp(`^Fixture file '${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}': `),
    )
    expect(() => loadFixtureFile(file)).toThrow(message)
  })

  it('a file that is not JSON, or not there', () => {
    expect(() => loadFixtureFile(writeTemp('{ nope'))).toThrow(/: not valid JSON/)
    expect(() => loadFixtureFile('/no/such/fixture.json')).toThrow(
      "Fixture file '/no/such/fixture.json': cannot be read (ENOENT)",
    )
  })

  it('stops buildApp before anything is served', async () => {
    await expect(buildApp({ db: ':memory:', fixtures: writeTemp('[]'), logLevel: 'silent' })).rejects.toThrow(
      /\/: must be object/,
    )
  })

  it('a document from another source names that source', () => {
    expect(() => validateFixtureDocument({ tenants: 'x' }, 'PUT /_emulator/state')).toThrow(
      /^PUT \/_emulator\/state: \/tenants: must be array/,
    )
  })
})

describe('a custom fixture', () => {
  it('registers an app certificate given as PFX with its password, as the connector form takes it', async () => {
    const doc = demo()
    doc.tenants[0]!.apps[0]!.certificates = [{ pfxBase64: PFX_BASE64, password: 'emulator' }]
    const t = await buildTestApp({ fixtures: doc })
    const app = t.app.repos.directory.findApp(CONTOSO.tenantId, CONTOSO.automationApp.clientId)
    const pem = readFileSync('fixtures/certs/contoso-automation.pem', 'utf8')
    expect(app?.certificates).toHaveLength(1)
    expect(new X509Certificate(app!.certificates[0]!).fingerprint256).toBe(
      new X509Certificate(pem).fingerprint256,
    )
  })

  it('seeds a tenant without a signing key: one is generated, and its tokens work', async () => {
    const doc = demo()
    const tenant = doc.tenants[1]!
    delete tenant.signingKey
    const t = await buildTestApp({ fixtures: doc })
    const key = t.app.keys.forTenant(tenant.id)
    expect(key?.kid).toMatch(/^[A-Za-z0-9_-]{27}$/)
    const token = await t.mint({ user: 'admin@fabrikam.onmicrosoft.com' })
    const res = await t.as(token, { method: 'GET', url: `${ADMIN}/environments/~default/flows?${API}` })
    expect(res.statusCode).toBe(200)
    expect(res.json().value).toHaveLength(1)
  })
})
