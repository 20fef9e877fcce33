import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

import { afterAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const ROOT = new URL('../..', import.meta.url).pathname
const work = mkdtempSync(join(tmpdir(), 'paae-pack-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('the package as a user installs it', () => {
  it('packs the build, installs into a fresh project, runs the bin and starts in-process without writing there', async () => {
    // The build is current (npm run test:e2e builds first); packing runs no scripts.
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
      cwd: ROOT,
    })
    const [packed] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }]
    const paths = packed.files.map((f) => f.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        'dist/emulator.mjs',
        'dist/server/index.js',
        'dist/server/vitest.d.ts',
        'fixtures/demo-tenant.json',
        'db/migrations/0001-init.sql',
      ]),
    )
    expect(
      paths.filter((p) => p.endsWith('.map') || p.endsWith('.tsbuildinfo') || p.startsWith('test/')),
    ).toEqual([])

    const project = join(work, 'project')
    rmSync(project, { recursive: true, force: true })
    await run('mkdir', ['-p', project])
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    )
    await run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, packed.filename)],
      { cwd: project },
    )

    const bin = join(project, 'node_modules/.bin/power-automate-admin-emulator')
    expect((await run(bin, ['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
    expect((await run(bin, ['wait', '--help'])).stdout).toContain('Usage: power-automate-admin-emulator wait')

    writeFileSync(
      join(project, 'in-process.mjs'),
      `import { existsSync } from 'node:fs'
import { startEmulator } from 'power-automate-admin-emulator'
const emulator = await startEmulator()
const token = await emulator.tokens.forUser('admin@contoso.onmicrosoft.com')
const flows = await fetch(emulator.url + '/providers/Microsoft.ProcessSimple/scopes/admin/environments/~default/flows?api-version=2016-11-01', { headers: { authorization: 'Bearer ' + token } })
const ca = emulator.caCertPath
const caExisted = existsSync(ca)
await emulator.close()
console.log(JSON.stringify({ status: flows.status, caExisted, caAfterClose: existsSync(ca) }))
`,
    )
    // Run from the project's folder, as a test runner there would.
    const before = readdirSync(project).sort()
    const { stdout: out } = await run(process.execPath, ['in-process.mjs'], { cwd: project })
    expect(JSON.parse(out)).toEqual({ status: 200, caExisted: true, caAfterClose: false })
    expect(readdirSync(project).sort()).toEqual(before)
  })
})
