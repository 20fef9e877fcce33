import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'

import { childFlags, killEmulators, startEmulator, type ChildEmulator } from '../helpers/child-emulator.ts'
import { ADMIN, API, CONTOSO, generatedPrincipal } from '../helpers/demo.ts'
import { mintOverHttp } from '../helpers/tokens.ts'

afterEach(killEmulators)

const FLOW_URL = `${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}`
const principal = generatedPrincipal
const mint = (e: ChildEmulator) => mintOverHttp(e.base, { user: CONTOSO.admin.upn })

const fileArgs = (db: string, extra: string[] = []) =>
  childFlags(db, '--log-level', 'warn', '--throttle', 'off', ...extra)

describe('crash safety and shutdown', () => {
  it('SIGKILL during a write load on a file database: every acknowledged write survives, nothing half-written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paae-crash-'))
    const db = join(dir, 'emulator.sqlite')
    const first = await startEmulator(fileArgs(db))
    const token = await mint(first)
    const acknowledged: string[] = []
    let next = 0
    let killed = false
    // Eight writers, each adding principals one request at a time, until the kill.
    const writer = async () => {
      while (!killed) {
        const id = principal(next++)
        try {
          const res = await fetch(`${first.base}${FLOW_URL}/modifyPermissions?${API}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              put: [{ properties: { principal: { id, type: 'User' }, roleName: 'CanView' } }],
            }),
          })
          if (res.status === 200) acknowledged.push(id)
        } catch {
          return // the connection died with the process
        }
      }
    }
    const writers = Array.from({ length: 8 }, writer)
    while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 5))
    first.child.kill('SIGKILL')
    killed = true
    expect(await first.exited).toBe('SIGKILL')
    await Promise.all(writers)

    const second = await startEmulator(fileArgs(db))
    const res = await fetch(`${second.base}${FLOW_URL}/permissions?${API}`, {
      headers: { authorization: `Bearer ${await mint(second)}` },
    })
    expect(res.status).toBe(200)
    const present = new Map(
      ((await res.json()) as { value: { name: string; properties: { roleName: string } }[] }).value.map(
        (p) => [p.name, p.properties.roleName],
      ),
    )
    for (const id of acknowledged) expect(present.get(id), id).toBe('CanView')
    // Anything beyond the acknowledged writes is whole too (a write that committed before its answer was lost).
    for (const [id, role] of present)
      if (id.startsWith('00000000-0000-4000-8000-')) expect(role).toBe('CanView')
    second.child.kill('SIGTERM')
    expect(await second.exited).toBe(0)
    const check = new Database(db, { readonly: true })
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(check.pragma('foreign_key_check')).toEqual([])
    check.close()
  })

  it('SIGTERM: stops accepting, finishes the request in flight, closes the database, exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paae-term-'))
    const db = join(dir, 'emulator.sqlite')
    const e = await startEmulator(fileArgs(db))
    const token = await mint(e)
    const fault = await fetch(`${e.base}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operationId: 'Get-AdminFlow', delayMs: 1500 }),
    })
    expect(fault.status).toBe(201)
    const inFlight = fetch(`${e.base}${FLOW_URL}?${API}`, { headers: { authorization: `Bearer ${token}` } })
    await new Promise((r) => setTimeout(r, 300))
    e.child.kill('SIGTERM')
    await new Promise((r) => setTimeout(r, 200))
    await expect(fetch(`${e.base}/_emulator/health`)).rejects.toThrow()
    const res = await inFlight
    expect(res.status).toBe(200)
    expect(((await res.json()) as { name: string }).name).toBe(CONTOSO.flows.invoiceApproval)
    expect(await e.exited).toBe(0)
    // Closed cleanly: SQLite folded the write-ahead log back and removed it.
    expect(existsSync(`${db}-wal`)).toBe(false)
  })

  it('SIGTERM with a request stuck past --shutdown-timeout: its connection is cut and the emulator still exits 0', async () => {
    const e = await startEmulator(fileArgs(':memory:', ['--shutdown-timeout', '1']))
    const token = await mint(e)
    await fetch(`${e.base}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operationId: 'Get-AdminFlow', delayMs: 60_000 }),
    })
    // Settled into a value at once: its rejection comes while the test awaits the exit.
    const stuck = fetch(`${e.base}${FLOW_URL}?${API}`, {
      headers: { authorization: `Bearer ${token}` },
    }).then(
      (res) => `answered ${res.status}`,
      (error: Error) => error,
    )
    await new Promise((r) => setTimeout(r, 200))
    const started = Date.now()
    e.child.kill('SIGTERM')
    expect(await e.exited).toBe(0)
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(await stuck).toBeInstanceOf(Error)
    expect(e.output()).toContain('requests still in flight')
  })

  it('SIGTERM when --export-on-exit can no longer be written: the failure is logged, the shutdown stays clean', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paae-export-'))
    const db = join(dir, 'emulator.sqlite')
    const gone = join(dir, 'gone')
    mkdirSync(gone)
    const e = await startEmulator(fileArgs(db, ['--export-on-exit', join(gone, 'state.json')]))
    rmSync(gone, { recursive: true })
    e.child.kill('SIGTERM')
    expect(await e.exited).toBe(0)
    expect(e.output()).toContain('could not export the state on exit')
    // The database was closed: SQLite folded the write-ahead log back and removed it.
    expect(existsSync(`${db}-wal`)).toBe(false)
  })

  it('bound beyond loopback without --control-key: a warning, and /_emulator answers loopback clients only', async () => {
    const e = await startEmulator(childFlags(':memory:', '--host', '0.0.0.0'))
    for (let i = 0; i < 100 && !e.output().includes('beyond loopback'); i++)
      await new Promise((r) => setTimeout(r, 20))
    expect(e.output()).toContain('listening beyond loopback without --control-key')
    const port = new URL(e.base).port
    expect((await fetch(`http://127.0.0.1:${port}/_emulator/health`)).status).toBe(200)
  })
})

describe('the log', () => {
  const infoArgs = childFlags(':memory:', '--log-level', 'info')
  const completed = (e: ChildEmulator) =>
    e
      .output()
      .split('\n')
      .filter((l) => l.includes('"request completed"'))

  it('shows a quiet emulator a line within a moment, without waiting for the buffer to fill', async () => {
    const e = await startEmulator(infoArgs)
    expect((await fetch(`${e.base}/_emulator/health`)).status).toBe(200)
    for (let i = 0; i < 50 && completed(e).length === 0; i++) await new Promise((r) => setTimeout(r, 20))
    expect(completed(e)).toHaveLength(1)
  })

  it('exits on SIGTERM when its standard output has been closed', async () => {
    const e = await startEmulator(infoArgs)
    // The reader goes away: the next line written, the shutdown's own, meets a broken pipe.
    e.child.stdout!.destroy()
    e.child.kill('SIGTERM')
    expect(await e.exited).toBe(0)
  })

  it('writes every buffered line before it exits on SIGTERM', async () => {
    const e = await startEmulator(infoArgs)
    for (let i = 0; i < 300; i++) expect((await fetch(`${e.base}/_emulator/health`)).status).toBe(200)
    e.child.kill('SIGTERM')
    expect(await e.exited).toBe(0)
    expect(completed(e)).toHaveLength(300)
    expect(e.output()).toContain('"msg":"stopped"')
  })
})
