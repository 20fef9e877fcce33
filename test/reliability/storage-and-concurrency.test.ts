import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'

import { buildApp } from '../../server/app.ts'
import { listen } from '../../server/listen.ts'
import { expectServiceError } from '../helpers/assertions.ts'
import { buildTestApp } from '../helpers/build-test-app.ts'
import { childFlags, killEmulators, startEmulator } from '../helpers/child-emulator.ts'
import { ADMIN, API, CONTOSO, generatedPrincipal, putUser } from '../helpers/demo.ts'
import { FLOW_SCOPE, postForm, PUBLIC_CLIENT, tokenUrl } from '../helpers/entra.ts'
import { mintOverHttp } from '../helpers/tokens.ts'

afterEach(killEmulators)

const FLOW = `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}`
const principal = generatedPrincipal
const put = putUser

describe('storage failures: clear 5xx for writes, reads keep working, nothing half-written', () => {
  // Simulated with SQLite's own limits: a page budget the database has already spent (a full disk)
  // and query_only (a read-only database). Both fail the write inside SQLite, as the real condition does.
  it('a full disk: 507 InsufficientStorage for a write, the flow unchanged, reads answer', async () => {
    const t = await buildTestApp()
    const token = await t.mint({ user: CONTOSO.admin.upn })
    const { db } = t.app.repos
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`)
    const write = await t.as(token, {
      method: 'POST',
      url: `${FLOW}/modifyPermissions?${API}`,
      payload: { put: Array.from({ length: 400 }, (_, i) => put(principal(i))) },
    })
    expectServiceError(write, {
      status: 507,
      code: 'InsufficientStorage',
      message: 'The emulator could not save the change: its database disk is full. Nothing was changed.',
    })
    const read = await t.as(token, { method: 'GET', url: `${FLOW}/permissions?${API}` })
    expect(read.statusCode).toBe(200)
    expect(read.json().value).toHaveLength(3)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  })

  it('a read-only database: 503 StorageReadOnly for API writes, Entra-shaped 503 for the token endpoint, reads answer', async () => {
    const t = await buildTestApp()
    const token = await t.mint({ user: CONTOSO.admin.upn })
    t.app.repos.db.pragma('query_only = ON')
    for (const [method, url] of [
      ['POST', `${FLOW}/stop?${API}`],
      ['DELETE', `${FLOW}?${API}`],
    ] as const) {
      expectServiceError(await t.as(token, { method, url }), { status: 503, code: 'StorageReadOnly' })
    }
    // A user sign-in stores its refresh token: without storage, no token.
    const res = await postForm(t.app, tokenUrl(), {
      grant_type: 'password',
      client_id: PUBLIC_CLIENT,
      username: CONTOSO.admin.upn,
      password: 'Demo!Passw0rd',
      scope: FLOW_SCOPE,
    })
    expect(res.statusCode).toBe(503)
    expect(res.json()).toMatchObject({ error: 'temporarily_unavailable', error_codes: [90033] })
    const read = await t.as(token, { method: 'GET', url: `${FLOW}?${API}` })
    expect(read.statusCode).toBe(200)
    expect(read.json().properties.state).toBe('Started')
  })
})

describe('concurrency: the final state is that of some serial order', () => {
  it('hundreds of concurrent modifyPermissions, start and stop on one flow: no lost update, no duplicate', async () => {
    const app = await buildApp({ db: ':memory:', logLevel: 'silent', throttle: { enabled: false } })
    const listening = await listen(app, { host: '127.0.0.1', port: 0, httpsPort: 'off', dataDir: '' })
    try {
      const base = listening.httpUrl
      const token = await mintOverHttp(base, { user: CONTOSO.admin.upn })
      const headers = {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      }
      const call = (path: string, body?: unknown) =>
        fetch(`${base}${FLOW}${path}?${API}`, {
          method: 'POST',
          headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }).then((r) => r.status)
      // Seed 100 principals to delete concurrently with the rest.
      expect(
        await call('/modifyPermissions', {
          put: Array.from({ length: 100 }, (_, i) => put(principal(1000 + i))),
        }),
      ).toBe(200)

      const statuses = await Promise.all([
        // 200 new principals, one per request.
        ...Array.from({ length: 200 }, (_, i) => call('/modifyPermissions', { put: [put(principal(i))] })),
        // The 100 seeded ones removed, one per request.
        ...Array.from({ length: 100 }, (_, i) =>
          call('/modifyPermissions', { delete: [{ id: principal(1000 + i) }] }),
        ),
        // One principal fought over: CanView and CanEdit, 50 times each.
        ...Array.from({ length: 100 }, (_, i) =>
          call('/modifyPermissions', { put: [put(principal(5000), i % 2 ? 'CanEdit' : 'CanView')] }),
        ),
        // 100 starts and stops.
        ...Array.from({ length: 100 }, (_, i) => call(i % 2 ? '/start' : '/stop')),
      ])
      expect(statuses.filter((s) => s !== 200)).toEqual([])

      const list = await fetch(`${base}${FLOW}/permissions?${API}`, { headers })
      const value = ((await list.json()) as { value: { name: string; properties: { roleName: string } }[] })
        .value
      const names = value.map((p) => p.name)
      expect(new Set(names).size).toBe(names.length) // no duplicate
      for (let i = 0; i < 200; i++) expect(names).toContain(principal(i)) // no lost update
      for (let i = 0; i < 100; i++) expect(names).not.toContain(principal(1000 + i))
      expect(names.filter((n) => n === principal(5000))).toHaveLength(1)
      expect(['CanView', 'CanEdit']).toContain(
        value.find((p) => p.name === principal(5000))!.properties.roleName,
      )
      expect(value).toHaveLength(3 + 200 + 1)
      const flow = await fetch(`${base}${FLOW}?${API}`, { headers })
      expect(['Started', 'Stopped']).toContain(
        ((await flow.json()) as { properties: { state: string } }).properties.state,
      )
      expect(app.repos.db.pragma('integrity_check', { simple: true })).toBe('ok')
    } finally {
      await listening.close()
    }
  })
})

describe('a real full disk', () => {
  it('a file database on a 1 MiB tmpfs fills up: 507 for the write that does not fit, reads go on, the file stays whole', async () => {
    const { disk, release } = smallDisk()
    try {
      const db = join(disk, 'emulator.sqlite')
      const e = await startEmulator(childFlags(db, '--log-level', 'warn', '--throttle', 'off'))
      const token = await mintOverHttp(e.base, { user: CONTOSO.admin.upn })
      const headers = {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      }
      let status = 200
      let batch = 0
      let stored = 3
      while (status === 200 && batch < 200) {
        const res = await fetch(`${e.base}${FLOW}/modifyPermissions?${API}`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            put: Array.from({ length: 400 }, (_, i) => put(principal(batch * 400 + i))),
          }),
        })
        status = res.status
        if (status === 200) stored += 400
        else
          expect(await res.json()).toEqual({
            error: {
              code: 'InsufficientStorage',
              message:
                'The emulator could not save the change: its database disk is full. Nothing was changed.',
            },
          })
        batch++
      }
      expect(status).toBe(507)
      const read = await fetch(`${e.base}${FLOW}/permissions?${API}`, { headers })
      expect(read.status).toBe(200)
      expect(((await read.json()) as { value: unknown[] }).value).toHaveLength(stored)
      e.child.kill('SIGTERM')
      expect(await e.exited).toBe(0)
      const check = new Database(db, { readonly: true })
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok')
      check.close()
    } finally {
      release()
    }
  })
})

describe('a real read-only file system', () => {
  it('the database on a file system remounted read-only: reads answer, writes get 503 in their envelopes', async () => {
    const { disk, release } = smallDisk()
    try {
      const db = join(disk, 'emulator.sqlite')
      const args = childFlags(db, '--log-level', 'warn')
      const first = await startEmulator(args)
      first.child.kill('SIGTERM')
      expect(await first.exited).toBe(0)
      execFileSync('mount', ['-o', 'remount,ro', disk])
      const e = await startEmulator(args)
      for (let i = 0; i < 100 && !e.output().includes('read-only storage'); i++)
        await new Promise((r) => setTimeout(r, 20))
      expect(e.output()).toContain('the database is on read-only storage')
      const token = await mintOverHttp(e.base, { user: CONTOSO.admin.upn })
      const auth = {
        authorization: `Bearer ${token}`,
      }
      const read = await fetch(`${e.base}${FLOW}?${API}`, { headers: auth })
      expect(read.status).toBe(200)
      const stop = await fetch(`${e.base}${FLOW}/stop?${API}`, { method: 'POST', headers: auth })
      expect(stop.status).toBe(503)
      expect(((await stop.json()) as { error: { code: string } }).error.code).toBe('StorageReadOnly')
      const reset = await fetch(`${e.base}/_emulator/reset`, { method: 'POST' })
      expect(reset.status).toBe(503)
      e.child.kill('SIGTERM')
      expect(await e.exited).toBe(0)
    } finally {
      release()
    }
  })
})

/**
 * A real 1 MiB tmpfs: mounting needs root, which CI and these machines have. The
 * in-process tests above simulate the same failure with SQLite's own page budget anywhere.
 */
function smallDisk(): { disk: string; release: () => void } {
  const disk = mkdtempSync(join(tmpdir(), 'paae-disk-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', disk], { stdio: 'ignore' })
  } catch (error) {
    throw new Error(`this test mounts a 1 MiB tmpfs and needs root (mount: ${(error as Error).message})`)
  }
  return {
    disk,
    release: () => {
      execFileSync('umount', ['-l', disk])
      rmSync(disk, { recursive: true, force: true })
    },
  }
}
