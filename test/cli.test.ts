import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { get as httpsGet } from 'node:https'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

import { afterEach, describe, expect, it } from 'vitest'

import { BIN, childFlags, killEmulators, startEmulator } from './helpers/child-emulator.ts'
import { ADMIN, API, CONTOSO } from './helpers/demo.ts'

const run = promisify(execFile)

/** The status of a GET over HTTPS, trusting only `ca`. */
const httpsStatus = (url: string, ca: string) =>
  new Promise<number | undefined>((resolve, reject) =>
    httpsGet(url, { ca }, (res) => (res.resume(), resolve(res.statusCode))).on('error', reject),
  )

/** Whether something accepts connections on the loopback port. */
const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => (socket.end(), resolve(true)))
    socket.on('error', () => resolve(false))
  })
afterEach(killEmulators)

describe('the command line', () => {
  it('serves on a free port, prints its URLs, mints a token for curl, and disables a flow with it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'paae-cli-data-'))
    const flags = [
      '--port',
      '0',
      '--https-port',
      '0',
      '--data-dir',
      dataDir,
      '--db',
      ':memory:',
      '--log-level',
      'warn',
    ]
    const { child, lines, base } = await startEmulator(flags)
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(base).not.toBe('http://127.0.0.1:0')
    expect(lines).toEqual(
      expect.arrayContaining([
        `Flow admin API:   ${base}${ADMIN}`,
        `Token minting:    ${base}/_emulator/tokens`,
        `OpenAPI:          ${base}/openapi.json`,
        `Dashboard:        ${base}/_emulator/ui`,
        `CA certificate (NODE_EXTRA_CA_CERTS): ${join(dataDir, 'ca', 'ca.pem')}  (also at ${base}/_emulator/ca.pem)`,
      ]),
    )
    const https = lines.find((l) => l.startsWith('Flow admin API:   https://'))
    expect(https).toMatch(
      /^Flow admin API: {3}https:\/\/127\.0\.0\.1:\d+\/providers\/Microsoft\.ProcessSimple\/scopes\/admin$/,
    )
    expect(lines.find((l) => l.startsWith('Entra ID:'))).toMatch(
      /^Entra ID: +https:\/\/127\.0\.0\.1:\d+\/\{tenant\}/,
    )

    const { stdout } = await run(process.execPath, [BIN, 'token', '--user', CONTOSO.admin.upn, '--url', base])
    const token = stdout.trim()
    expect(token.split('.')).toHaveLength(3)
    // A long-lived ARM token, as the CLI for Microsoft 365 keeps one (README, tools that cannot change their URLs).
    const arm = await run(process.execPath, [
      BIN,
      'token',
      '--user',
      CONTOSO.admin.upn,
      '--audience',
      'https://management.azure.com/',
      '--expires-in',
      '86400',
      '--url',
      base,
    ])
    const claims = JSON.parse(Buffer.from(arm.stdout.trim().split('.')[1]!, 'base64url').toString()) as {
      aud: string
      exp: number
      iat: number
    }
    expect(claims.aud).toBe('https://management.azure.com/')
    expect(claims.exp - claims.iat).toBe(86400)

    const headers = { authorization: `Bearer ${token}` }
    const stop = await fetch(
      `${base}${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/stop?${API}`,
      {
        method: 'POST',
        headers,
      },
    )
    expect(stop.status).toBe(200)
    const list = (await (
      await fetch(`${base}${ADMIN}/environments/~default/flows?${API}`, { headers })
    ).json()) as {
      value: { name: string; properties: { state: string } }[]
    }
    expect(list.value.find((f) => f.name === CONTOSO.flows.invoiceApproval)?.properties.state).toBe('Stopped')

    const exited = new Promise((resolve) => child.on('exit', resolve))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })

  it('--port 0 alone takes HTTPS to a free port too: two instances start side by side', async () => {
    const dataDirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'paae-cli-data-')))
    const flags = (dataDir: string, ...extra: string[]) => [
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--db',
      ':memory:',
      ...extra,
    ]
    // The second also runs the proxy on a free port: the banner prints the port it got.
    const [one, two] = await Promise.all([
      startEmulator(flags(dataDirs[0]!)),
      startEmulator(flags(dataDirs[1]!, '--proxy-port', '0')),
    ])
    const urlOf = (lines: string[], label: string) =>
      new URL(
        lines
          .find((l) => l.startsWith(label))!
          .split(/\s+/)
          .find((word) => /^[a-z]+:\/\//.test(word))!,
      )
    const [a, b] = [
      urlOf(one.lines, 'Flow admin API:   https://'),
      urlOf(two.lines, 'Flow admin API:   https://'),
    ]
    expect([a.port, b.port]).not.toContain('7443')
    expect(a.port).not.toBe(b.port)
    for (const [url, dataDir] of [
      [a, dataDirs[0]!],
      [b, dataDirs[1]!],
    ] as const) {
      const ca = readFileSync(join(dataDir, 'ca', 'ca.pem'), 'utf8')
      expect(await httpsStatus(`${url.origin}/_emulator/health`, ca)).toBe(200)
    }
    const proxy = urlOf(two.lines, 'HTTPS proxy:')
    expect(proxy.port).toMatch(/^[1-9]\d*$/)
    expect(await canConnect(Number(proxy.port))).toBe(true)
    expect(one.lines.some((l) => l.startsWith('HTTPS proxy:'))).toBe(false)
  })

  it('--log-format pretty: a compact line per request; the start-up lines stay as they are', async () => {
    const e = await startEmulator(childFlags(':memory:', '--log-format', 'pretty'))
    expect(e.lines).toContain(`Token minting:    ${e.base}/_emulator/tokens`)
    expect((await fetch(`${e.base}/_emulator/health`)).status).toBe(200)
    const line = /^\d{2}:\d{2}:\d{2}\.\d{3} INFO {2}GET \/_emulator\/health 200 [\d.]+ ms Emulator-Health$/m
    for (let i = 0; i < 100 && !line.test(e.output()); i++) await new Promise((r) => setTimeout(r, 20))
    expect(e.output()).toMatch(line)
    expect(e.output()).not.toMatch(/^\{/m)
    // Piped, as here, the default is JSON.
    const json = await startEmulator(childFlags(':memory:'))
    expect((await fetch(`${json.base}/_emulator/health`)).status).toBe(200)
    for (let i = 0; i < 100 && !json.output().includes('"request completed"'); i++)
      await new Promise((r) => setTimeout(r, 20))
    const request = json
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l['msg'] === 'request completed')
    expect(request).toMatchObject({ method: 'GET', url: '/_emulator/health', operation: 'Emulator-Health' })
  })

  it('--export-on-exit writes the state on SIGTERM, as a fixture document', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paae-export-'))
    const file = join(dir, 'state.json')
    const flags = childFlags(':memory:', '--log-level', 'warn', '--export-on-exit', file)
    const { child } = await startEmulator(flags)
    const exited = new Promise((resolve) => child.on('exit', resolve))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { tenants: { name: string }[] }
    expect(doc.tenants.map((t) => t.name)).toEqual(['contoso', 'fabrikam'])
  })

  it('--coverage-report writes the coverage on SIGTERM: Markdown for .md, JSON otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paae-coverage-'))
    for (const name of ['coverage.md', 'coverage.json']) {
      const file = join(dir, name)
      const { child, base } = await startEmulator(
        childFlags(':memory:', '--log-level', 'warn', '--coverage-report', file),
      )
      const url = `${base}${ADMIN}/environments/~default/flows/${CONTOSO.flows.invoiceApproval}/permissions?${API}`
      expect((await fetch(url)).status).toBe(401)
      const exited = new Promise((resolve) => child.on('exit', resolve))
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
      const text = readFileSync(file, 'utf8')
      if (name.endsWith('.md')) {
        expect(text).toMatch(/^# Contract coverage\n/)
        expect(text).toMatch(
          /^\| flow \| Get-AdminFlowOwnerRole \| 401 ×1 \| [^|]*\b200\b[^|]*\b404\b[^|]* \|$/m,
        )
        expect(text).toMatch(/^\| connector \| Get-AdminFlowOwnerRole \| – \| [^|]*\b200\b/m)
      } else {
        const report = JSON.parse(text) as {
          operations: { operationId: string; surface: string; seen: object; neverSeen: string[] }[]
        }
        const op = report.operations.find(
          (o) => o.surface === 'flow' && o.operationId === 'Get-AdminFlowOwnerRole',
        )
        expect(op?.seen).toEqual({ '401': { count: 1, injected: 0 } })
        expect(op?.neverSeen).toContain('404')
      }
    }
  })

  it.each([
    [['--port', 'x'], "--port must be a whole number from 0 to 65535; got 'x'"],
    [['--wat'], "Unknown option '--wat'"],
    [['--https-port', 'x'], "--https-port must be a whole number from 0 to 65535, or off; got 'x'"],
    [['--fixtures', '/no/such.json'], "Fixture file '/no/such.json': cannot be read (ENOENT)"],
    [
      ['--export-on-exit', '/no/such/folder/state.json'],
      "--export-on-exit: cannot write '/no/such/folder/state.json' (ENOENT)",
    ],
  ])('exits 2 with the reason for %j', async (args, message) => {
    const error = (await run(process.execPath, [BIN, ...args, '--db', ':memory:']).catch(
      (e: unknown) => e,
    )) as {
      code: number
      stderr: string
    }
    expect(error.code).toBe(2)
    expect(error.stderr).toContain(message)
  })

  it('exits 2 naming the clash when two tenants of --fixtures share a signing key', async () => {
    const doc = JSON.parse(readFileSync('fixtures/demo-tenant.json', 'utf8')) as {
      tenants: { signingKey: unknown }[]
    }
    doc.tenants[1]!.signingKey = doc.tenants[0]!.signingKey
    const file = join(mkdtempSync(join(tmpdir(), 'paae-cli-')), 'shared-key.json')
    writeFileSync(file, JSON.stringify(doc))
    const error = (await run(process.execPath, [BIN, '--fixtures', file, '--db', ':memory:']).catch(
      (e: unknown) => e,
    )) as { code: number; stderr: string }
    expect(error.code).toBe(2)
    expect(error.stderr).toContain('/tenants/1/signingKey: duplicate signing key (certificate)')
    expect(error.stderr).not.toContain('    at ')
  })

  it('names the file, path and problem of a bad fixture', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'paae-cli-')), 'bad.json')
    writeFileSync(file, JSON.stringify({ tenants: [{ id: 'x' }] }))
    const error = (await run(process.execPath, [BIN, '--fixtures', file, '--db', ':memory:']).catch(
      (e: unknown) => e,
    )) as {
      code: number
      stderr: string
    }
    expect(error.code).toBe(2)
    expect(error.stderr).toContain(`Fixture file '${file}': /tenants/0`)
  })

  it('token: --expires-in must be a whole number of seconds within a year either way', async () => {
    const error = (await run(process.execPath, [BIN, 'token', '--user', 'a@b.c', '--expires-in', '1y']).catch(
      (e: unknown) => e,
    )) as { code: number; stderr: string }
    expect(error.code).toBe(2)
    expect(error.stderr).toContain(
      "token: --expires-in must be a whole number of seconds from -31536000 to 31536000; got '1y'",
    )
  })

  it('token: a clear error when no emulator listens', async () => {
    const error = (await run(process.execPath, [
      BIN,
      'token',
      '--user',
      'a@b.c',
      '--url',
      'http://127.0.0.1:9',
      '--wait',
      '0',
    ]).catch((e: unknown) => e)) as { code: number; stderr: string }
    expect(error.code).toBe(1)
    expect(error.stderr).toContain('cannot reach the emulator at http://127.0.0.1:9')
    expect(error.stderr).toContain('Is it running?')
  })

  it('token and wait: --help, -h and --version print and exit 0; an unknown flag says how to get help', async () => {
    for (const command of ['token', 'wait']) {
      for (const flag of ['--help', '-h']) {
        const { stdout } = await run(process.execPath, [BIN, command, flag])
        expect(stdout).toContain(`Usage: power-automate-admin-emulator ${command}`)
        expect(stdout).toContain('--control-key <key>')
      }
      const { stdout } = await run(process.execPath, [BIN, command, '--version'])
      expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
      const error = (await run(process.execPath, [BIN, command, '--nope']).catch((e: unknown) => e)) as {
        code: number
        stderr: string
      }
      expect(error.code).toBe(2)
      expect(error.stderr).toContain(`Run '${command} --help' for the flags.`)
    }
    const usage = (await run(process.execPath, [BIN, 'token', '--help'])).stdout
    expect(usage).toContain('--audience <aud>')
    expect(usage).toContain('--expires-in <seconds>')
    const server = await run(process.execPath, [BIN, '--version'])
    expect(server.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('wait: exits 1 with the reason when nothing listens before --timeout', async () => {
    const error = (await run(process.execPath, [
      BIN,
      'wait',
      '--url',
      'http://127.0.0.1:1',
      '--timeout',
      '1',
    ]).catch((e: unknown) => e)) as { code: number; stderr: string }
    expect(error.code).toBe(1)
    expect(error.stderr).toContain(
      'wait: the emulator at http://127.0.0.1:1 was not ready after 1 s: cannot reach it',
    )
  })

  it('wait and token: follow PAAE_PORT and PAAE_CONTROL_KEY; token takes a negative --expires-in', async () => {
    const key = 'a-control-key-of-16+'
    const { base, lines } = await startEmulator(
      childFlags(':memory:', '--log-level', 'warn', '--control-key', key),
    )
    // The banner's dashboard line carries the key, encoded as a query value.
    expect(lines).toContain(`Dashboard:        ${base}/_emulator/ui?key=a-control-key-of-16%2B`)
    const env = { ...process.env, PAAE_PORT: new URL(base).port, PAAE_CONTROL_KEY: key }
    await expect(run(process.execPath, [BIN, 'wait', '--timeout', '5'], { env })).resolves.toBeDefined()
    const refused = (await run(process.execPath, [BIN, 'wait', '--timeout', '5'], {
      env: { ...env, PAAE_CONTROL_KEY: 'another-key-of-16-chars' },
    }).catch((e: unknown) => e)) as { code: number; stderr: string }
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(`wait: the emulator at ${base} refused the check: it answered 403`)
    const { stdout } = await run(
      process.execPath,
      [BIN, 'token', '--user', CONTOSO.admin.upn, '--expires-in', '-600'],
      { env },
    )
    const claims = JSON.parse(Buffer.from(stdout.trim().split('.')[1]!, 'base64url').toString()) as {
      exp: number
      iat: number
    }
    expect(claims.exp).toBeLessThan(Date.now() / 1000)
    const expired = await fetch(`${base}${ADMIN}/environments/~default/flows?${API}`, {
      headers: { authorization: `Bearer ${stdout.trim()}` },
    })
    expect(expired.status).toBe(401)
    expect(((await expired.json()) as { error: { code: string } }).error.code).toBe(
      'ExpiredAuthenticationToken',
    )
  })
})
