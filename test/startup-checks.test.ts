import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import Database from 'better-sqlite3'
import { describe, expect, it, onTestFinished } from 'vitest'

import { prepareDataDir } from '../server/data-dir.ts'
import { openStore } from '../server/open-store.ts'
import { listenFailure, StartupError, systemCode } from '../server/startup-error.ts'

// The start-up checks in-process, one case per reason: test/startup-failures.test.ts proves the
// bin turns them into one line and exit 2; these prove each reason is told apart.

const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'paae-checks-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** What a bind on a port another server holds throws, as Node gives it. */
async function realAddressInUse(): Promise<unknown> {
  const holder = createServer()
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
  const port = (holder.address() as AddressInfo).port
  const second = createServer()
  try {
    return await new Promise((resolve) => {
      second.once('error', resolve)
      second.listen(port, '127.0.0.1')
    })
  } finally {
    await new Promise<void>((resolve) => holder.close(() => resolve()))
  }
}

describe('listenFailure', () => {
  it('names the flag and port of an address in use, from a real EADDRINUSE', async () => {
    const error = await realAddressInUse()
    const failure = listenFailure(error, '--proxy-port', 8080, '127.0.0.1')
    expect(failure).toBeInstanceOf(StartupError)
    expect(failure.message).toBe(
      '--proxy-port 8080 is in use on 127.0.0.1: stop what holds it, or choose another port (0 picks a free one)',
    )
    expect(failure.cause).toBe(error)
  })

  it('says a privileged port needs privileges, and a foreign host is not this machine', () => {
    const denied = listenFailure(Object.assign(new Error('x'), { code: 'EACCES' }), '--port', 80, '0.0.0.0')
    expect(denied).toBeInstanceOf(StartupError)
    expect(denied.message).toBe(
      '--port 80 needs privileges this process lacks on 0.0.0.0: choose a port above 1023',
    )
    const foreign = listenFailure(
      Object.assign(new Error('x'), { code: 'EADDRNOTAVAIL' }),
      '--port',
      7070,
      '10.9.9.9',
    )
    expect(foreign.message).toBe('--host 10.9.9.9 is not an address of this machine')
  })

  it('passes any other failure on as it is: not something the user can fix from here', () => {
    const other = Object.assign(new Error('boom'), { code: 'EMFILE' })
    expect(listenFailure(other, '--port', 7070, '127.0.0.1')).toBe(other)
    const thrown = listenFailure('a string', '--port', 7070, '127.0.0.1')
    expect(thrown).not.toBeInstanceOf(StartupError)
    expect(thrown.message).toBe('a string')
  })

  it('reads a system code only when it is a string', () => {
    expect(systemCode(Object.assign(new Error('x'), { code: 'ENOTDIR' }))).toBe('ENOTDIR')
    expect(systemCode({ code: 5 })).toBeUndefined()
    expect(systemCode(null)).toBeUndefined()
    expect(systemCode('EADDRINUSE')).toBeUndefined()
  })
})

describe('prepareDataDir', () => {
  it('creates a missing folder with its parents', () => {
    const dir = join(folder(), 'a', 'b')
    prepareDataDir(dir)
    writeFileSync(join(dir, 'probe'), 'written')
    expect(readFileSync(join(dir, 'probe'), 'utf8')).toBe('written')
  })

  it('refuses a file, a path under a file, and a path Node cannot take, naming the path', () => {
    const file = join(folder(), 'file')
    writeFileSync(file, '')
    expect(() => prepareDataDir(file)).toThrow(
      new StartupError(`--data-dir '${file}' cannot be used: it is a file, not a folder`),
    )
    const under = join(file, 'data')
    expect(() => prepareDataDir(under)).toThrow(
      new StartupError(`--data-dir '${under}' cannot be used: a part of the path is a file, not a folder`),
    )
    expect(() => prepareDataDir('bad\0path')).toThrow(StartupError)
    expect(() => prepareDataDir('bad\0path')).toThrow(/^--data-dir 'bad\0path' cannot be used: .*null bytes/)
  })
})

describe('openStore', () => {
  it('opens and migrates a new database, and opens it again', () => {
    const path = join(folder(), 'emulator.db')
    openStore(path).close()
    const again = openStore(path)
    expect(again.pragma('user_version', { simple: true })).toBeGreaterThan(0)
    again.close()
  })

  it('refuses a file that is not SQLite, and leaves it as it was', () => {
    const path = join(folder(), 'notes.db')
    const text = 'these are notes, not a database\n'.repeat(40)
    writeFileSync(path, text)
    expect(() => openStore(path)).toThrow(
      new StartupError(`cannot open the database '${path}': the file is not a SQLite database`),
    )
    expect(readFileSync(path, 'utf8')).toBe(text)
  })

  it("refuses another application's database, and leaves its tables alone", () => {
    const path = join(folder(), 'other.db')
    const other = new Database(path)
    other.exec('CREATE TABLE invoices (id INTEGER); INSERT INTO invoices VALUES (1)')
    other.close()
    expect(() => openStore(path)).toThrow(
      new StartupError(
        `'${path}' is not an emulator database (it holds another application's tables); choose another --db or --data-dir`,
      ),
    )
    const reopened = new Database(path)
    expect(reopened.prepare('SELECT count(*) AS n FROM invoices').get()).toEqual({ n: 1 })
    reopened.close()
  })

  it('refuses a database from a newer emulator, with the reason', () => {
    const path = join(folder(), 'newer.db')
    openStore(path).close()
    const db = new Database(path)
    db.pragma('user_version = 999')
    db.close()
    expect(() => openStore(path)).toThrow(
      /^cannot use the database '.*newer\.db': The database is at schema version 999/,
    )
  })

  it('names a file where a folder should be, and a folder where the database should be', () => {
    const dir = folder()
    const file = join(dir, 'file')
    writeFileSync(file, '')
    expect(() => openStore(join(file, 'emulator.db'))).toThrow(
      new StartupError(
        `cannot open the database '${join(file, 'emulator.db')}': a file stands where its folder should be`,
      ),
    )
    const taken = join(dir, 'taken.db')
    mkdirSync(taken)
    expect(() => openStore(taken)).toThrow(
      new StartupError(`cannot open the database '${taken}': it is a folder, not a database file`),
    )
  })
})
