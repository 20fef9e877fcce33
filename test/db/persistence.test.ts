import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, describe, expect, it } from 'vitest'

import { buildApp } from '../../server/app.ts'
import { fixedClock } from '../../server/clock.ts'
import { DEMO_FIXTURES_PATH, loadFixtureFile } from '../../server/fixtures.ts'
import { ADMIN, API, CONTOSO } from '../helpers/demo.ts'
import { captureLogs } from '../helpers/logs.ts'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

async function start(db: string, extra: { seed?: boolean } = {}) {
  const app = await buildApp({ db, logLevel: 'silent', clock: fixedClock('2026-02-01T00:00:00Z'), ...extra })
  const minted = await app.inject({
    method: 'POST',
    url: '/_emulator/tokens',
    payload: { user: CONTOSO.admin.upn },
  })
  const token = minted.json<{ access_token: string }>().access_token
  const call = (method: 'GET' | 'POST' | 'DELETE', path: string) =>
    app.inject({
      method,
      url: `${ADMIN}/environments/~default/flows${path}?${API}`,
      headers: { authorization: `Bearer ${token}` },
    })
  return { app, call }
}

describe('a file database', () => {
  it('keeps every change across a restart, in WAL mode, and is seeded only once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paae-'))
    dirs.push(dir)
    const file = join(dir, 'nested', 'emulator.sqlite')

    const first = await start(file)
    expect(first.app.repos.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(first.app.about.database).toBe('file')
    expect((await first.call('POST', `/${CONTOSO.flows.invoiceApproval}/stop`)).statusCode).toBe(200)
    expect((await first.call('DELETE', `/${CONTOSO.flows.nightlyCleanup}`)).statusCode).toBe(200)
    await first.app.close()

    const second = await start(file)
    const flow = (await second.call('GET', `/${CONTOSO.flows.invoiceApproval}`)).json()
    expect(flow.properties.state).toBe('Stopped')
    expect(flow.properties.lastModifiedTime).toBe('2026-02-01T00:00:00.0000000Z')
    expect((await second.call('GET', `/${CONTOSO.flows.nightlyCleanup}`)).statusCode).toBe(404)
    await second.app.close()
  })

  it('warns when started with other fixtures than it was seeded from, saying how to reseed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paae-'))
    dirs.push(dir)
    const file = join(dir, 'emulator.sqlite')
    const demo = loadFixtureFile(DEMO_FIXTURES_PATH)
    const renamed = structuredClone(demo)
    renamed.tenants[0]!.displayName = 'Contoso (renamed)'
    const warnings = async (fixtures: typeof demo | undefined, reset = false) => {
      const { logStream, lines } = captureLogs()
      const app = await buildApp({ db: file, logLevel: 'warn', logStream, ...(fixtures && { fixtures }) })
      if (reset) expect((await app.inject({ method: 'POST', url: '/_emulator/reset' })).statusCode).toBe(200)
      const names = app.repos.tenants.list().map((t) => t.display_name)
      await app.close()
      return { names, lines: lines.filter((l) => l['level'] === 40) }
    }

    expect((await warnings(undefined)).lines).toEqual([])
    // Same fixtures again: nothing to say.
    expect((await warnings(undefined)).lines).toEqual([])
    const other = await warnings(renamed)
    expect(other.names).not.toContain('Contoso (renamed)')
    expect(other.lines).toEqual([
      expect.objectContaining({
        db: file,
        fixtures: 'a fixture document',
        msg: 'the database was seeded from other fixtures and keeps them (fixtures seed a database only once): POST /_emulator/reset reseeds it from these, or start with a fresh --data-dir or --db',
      }),
    ])
    // A reset reseeds from the fixtures loaded now; from then on those are the database's.
    const reset = await warnings(renamed, true)
    expect(reset.names).toContain('Contoso (renamed)')
    expect((await warnings(renamed)).lines).toEqual([])
    expect((await warnings(undefined)).lines).toEqual([
      expect.objectContaining({ fixtures: 'the demo tenant' }),
    ])
  })

  it('starts empty with seed off', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paae-'))
    dirs.push(dir)
    const app = await buildApp({ db: join(dir, 'empty.sqlite'), seed: false, logLevel: 'silent' })
    expect(app.repos.tenants.list()).toEqual([])
    await app.close()
  })
})

describe(':memory:', () => {
  it('keeps nothing: a new app starts from the fixtures again', async () => {
    const first = await start(':memory:')
    expect((await first.call('POST', `/${CONTOSO.flows.invoiceApproval}/stop`)).statusCode).toBe(200)
    await first.app.close()
    const second = await start(':memory:')
    expect((await second.call('GET', `/${CONTOSO.flows.invoiceApproval}`)).json().properties.state).toBe(
      'Started',
    )
    expect(second.app.about.database).toBe('memory')
    await second.app.close()
  })
})
