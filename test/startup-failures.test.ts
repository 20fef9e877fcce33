import { spawn } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import Database from 'better-sqlite3'
import { describe, expect, it, onTestFinished } from 'vitest'

import { buildApp } from '../server/app.ts'
import { listen } from '../server/listen.ts'
import { BIN } from './helpers/child-emulator.ts'

/** Runs the built bin to its end: a start-up failure must end it on its own. */
function runBin(args: string[], as?: { uid: number; gid: number }) {
  // Another user cannot read the test run's CA file: Node would warn about it on stderr.
  const { NODE_EXTRA_CA_CERTS: _, ...env } = process.env
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(as && { ...as, env }),
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    }),
  )
}

/** Holds a free port, as another program would. */
async function occupiedPort(): Promise<number> {
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return (server.address() as AddressInfo).port
}

const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'paae-startup-'))
  chmodSync(dir, 0o755)
  return dir
}

/** Exit 2, one line on stderr that names what to fix, and no stack. */
async function expectOneLine(args: string[], line: string, as?: { uid: number; gid: number }) {
  const { code, stderr } = await runBin(args, as)
  expect(code).toBe(2)
  const lines = stderr.trimEnd().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]!.slice(0, 'power-automate-admin-emulator: '.length + line.length)).toBe(
    `power-automate-admin-emulator: ${line}`,
  )
  expect(stderr).not.toContain('    at ')
}

describe('start-up failures: one line, exit 2', () => {
  it('a port in use names the port and its flag, for each listener', async () => {
    const port = await occupiedPort()
    const dataDir = folder()
    const base = ['--data-dir', dataDir, '--db', ':memory:']
    await expectOneLine(
      [...base, '--port', String(port), '--https-port', '0'],
      `--port ${port} is in use on 127.0.0.1`,
    )
    await expectOneLine(
      [...base, '--port', '0', '--https-port', String(port)],
      `--https-port ${port} is in use on 127.0.0.1`,
    )
    await expectOneLine(
      [...base, '--port', '0', '--https-port', 'off', '--proxy-port', String(port)],
      `--proxy-port ${port} is in use on 127.0.0.1`,
    )
  })

  it('a data dir that is a file, or under a file, names the path', async () => {
    const file = join(folder(), 'a-file')
    writeFileSync(file, 'x')
    await expectOneLine(
      ['--port', '0', '--https-port', '0', '--data-dir', file],
      `--data-dir '${file}' cannot be used: it is a file, not a folder`,
    )
    await expectOneLine(
      ['--port', '0', '--https-port', '0', '--data-dir', join(file, 'sub')],
      `--data-dir '${join(file, 'sub')}' cannot be used: a part of the path is a file, not a folder`,
    )
  })

  it('a data dir this user cannot write names the path', async () => {
    const dir = join(folder(), 'read-only')
    mkdirSync(dir, { mode: 0o555 })
    chmodSync(dir, 0o555)
    // root writes anywhere: run the emulator as an ordinary user then.
    const as = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined
    await expectOneLine(
      ['--port', '0', '--https-port', '0', '--data-dir', dir],
      `--data-dir '${dir}' cannot be used: this user cannot write there`,
      as,
    )
  })

  it('a database file that is not SQLite, another application database, or a newer one names the file', async () => {
    const dataDir = folder()
    const db = join(dataDir, 'emulator.sqlite')
    writeFileSync(db, 'not a database, only text that is long enough to fill a page header')
    const flags = ['--port', '0', '--https-port', 'off', '--data-dir', dataDir]
    await expectOneLine(flags, `cannot open the database '${db}': the file is not a SQLite database`)

    const foreign = join(folder(), 'foreign.sqlite')
    const other = new Database(foreign)
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)')
    other.close()
    await expectOneLine(
      [...flags, '--db', foreign],
      `'${foreign}' is not an emulator database (it holds another application's tables)`,
    )

    const newer = join(folder(), 'newer.sqlite')
    const future = new Database(newer)
    future.pragma('user_version = 999')
    future.close()
    await expectOneLine(
      [...flags, '--db', newer],
      `cannot use the database '${newer}': The database is at schema version 999, newer than this emulator supports`,
    )
  })

  it('a damaged local CA names its folder and how to start over', async () => {
    const dataDir = folder()
    mkdirSync(join(dataDir, 'ca'))
    writeFileSync(join(dataDir, 'ca', 'ca.pem'), 'half a certificate')
    writeFileSync(join(dataDir, 'ca', 'ca-key.pem'), 'half a key')
    await expectOneLine(
      ['--port', '0', '--https-port', '0', '--data-dir', dataDir, '--db', ':memory:'],
      `cannot read or create the local CA in '${join(dataDir, 'ca')}'`,
    )
  })

  it('--log-level debug adds the stack of the cause', async () => {
    const port = await occupiedPort()
    const { code, stderr } = await runBin([
      '--db',
      ':memory:',
      '--https-port',
      'off',
      '--port',
      String(port),
      '--log-level',
      'debug',
    ])
    expect(code).toBe(2)
    expect(stderr).toContain(`--port ${port} is in use`)
    expect(stderr).toContain('EADDRINUSE')
    expect(stderr).toContain('    at ')
  })

  it('listen() closes the app and the listeners already open when one cannot bind', async () => {
    const port = await occupiedPort()
    const app = await buildApp({ db: ':memory:', logLevel: 'silent' })
    await expect(
      listen(app, { host: '127.0.0.1', port: 0, httpsPort: port, dataDir: folder() }),
    ).rejects.toThrow(`--https-port ${port} is in use on 127.0.0.1`)
    expect(app.server.listening).toBe(false)
    expect(app.repos.db.open).toBe(false)
  })
})
