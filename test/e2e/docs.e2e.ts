import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * Every block of the README and docs/ marked `runnable` (```sh runnable, ```ts runnable
 * file=x.test.ts, ```js runnable file=x.mjs env=NAME=value) runs as a reader would paste it, in
 * order, against a fresh emulator on free ports: the README's 7070 and 7443 and its data folder
 * are swapped for the test's, and PAAE_PORT, PAAE_HTTPS_PORT and PAAE_DATA_DIR say the same to
 * `npm start`, `wait` and `token`. A block that fails is a failing test.
 */

const ROOT = new URL('../..', import.meta.url).pathname
const PROJECT = join(ROOT, 'test-output', 'docs-project')

interface Block {
  doc: string
  lang: string
  code: string
  file?: string
  env: Record<string, string>
}

function runnableBlocks(doc: string): Block[] {
  const text = readFileSync(join(ROOT, doc), 'utf8')
  const blocks: Block[] = []
  for (const match of text.matchAll(/^```(\w+) runnable([^\n]*)\n([\s\S]*?)^```$/gm)) {
    const attrs = Object.fromEntries(
      match[2]!
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]),
    )
    const env = attrs['env']
      ? { [attrs['env'].split('=')[0]!]: attrs['env'].split('=').slice(1).join('=') }
      : {}
    blocks.push({
      doc,
      lang: match[1]!,
      code: match[3]!,
      ...(attrs['file'] ? { file: attrs['file'] } : {}),
      env,
    })
  }
  return blocks
}

const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
]
const blocks = DOCS.flatMap(runnableBlocks)

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; detached?: boolean },
): { pid: number; done: Promise<{ code: number | null; output: string }> } {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr.on('data', (c: Buffer) => (output += c.toString()))
  return {
    pid: child.pid!,
    // On exit, not close: a block's `npm start &` keeps the pipes open after the shell is gone.
    // Output still in the pipe is read within a moment of the exit.
    done: new Promise((resolve) =>
      child.on('exit', (code) => setTimeout(() => resolve({ code, output }), 250)),
    ),
  }
}

let httpPort: number
let httpsPort: number
let dataDir: string
let env: NodeJS.ProcessEnv
let shellGroup: number | undefined
const swap = (text: string) =>
  text
    .replaceAll('127.0.0.1:7070', `127.0.0.1:${httpPort}`)
    .replaceAll('127.0.0.1:7443', `127.0.0.1:${httpsPort}`)
    .replaceAll('.emulator-data', dataDir)

beforeAll(async () => {
  httpPort = await freePort()
  httpsPort = await freePort()
  dataDir = mkdtempSync(join(tmpdir(), 'paae-docs-'))
  env = {
    ...process.env,
    PAAE_PORT: String(httpPort),
    PAAE_HTTPS_PORT: String(httpsPort),
    PAAE_DATA_DIR: dataDir,
    PAAE_LOG_LEVEL: 'warn',
  }
  rmSync(PROJECT, { recursive: true, force: true })
  mkdirSync(PROJECT, { recursive: true })
})

afterAll(() => {
  // The shell's background `npm start` and everything it started.
  if (shellGroup !== undefined) {
    try {
      process.kill(-shellGroup, 'SIGTERM')
    } catch {
      // Already gone.
    }
  }
  rmSync(dataDir, { recursive: true, force: true })
})

describe('the docs, as pasted', () => {
  it('has runnable blocks: shell, a vitest project, MSAL and Azure Identity', () => {
    expect(blocks.filter((b) => b.lang === 'sh').length).toBeGreaterThanOrEqual(2)
    expect(blocks.filter((b) => b.file?.endsWith('.test.ts'))).toHaveLength(1)
    expect(blocks.filter((b) => b.file?.endsWith('.mjs')).length).toBeGreaterThanOrEqual(2)
  })

  it('runs the shell blocks in order, in one shell, from the repository', async () => {
    const script = [
      'set -euo pipefail',
      ...blocks.filter((b) => b.lang === 'sh').map((b) => swap(b.code)),
    ].join('\n')
    // Its own process group, so the emulator it starts in the background can be stopped with it.
    const shell = run('bash', ['-c', script], { cwd: ROOT, env, detached: true })
    shellGroup = shell.pid
    const { code, output } = await shell.done
    expect(code, output).toBe(0)
    expect(output).toContain('"state":"Stopped"')
  })

  it('type-checks the vitest project under strict and runs it with the emulator helper', async () => {
    for (const block of blocks.filter((b) => b.lang === 'ts' && b.file))
      writeFileSync(join(PROJECT, block.file!), swap(block.code))
    writeFileSync(
      join(PROJECT, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          types: ['node'],
          noEmit: true,
          skipLibCheck: true,
        },
        include: ['*.ts'],
      }),
    )
    const tsc = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', PROJECT], {
      cwd: PROJECT,
      env,
    }).done
    expect(tsc.code, tsc.output).toBe(0)
    const vitest = await run(
      process.execPath,
      [
        join(ROOT, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--root',
        PROJECT,
        '--config',
        join(PROJECT, 'vitest.config.ts'),
      ],
      { cwd: PROJECT, env },
    ).done
    expect(vitest.code, vitest.output).toBe(0)
    expect(vitest.output).toMatch(/1 passed/)
  })

  it.each(blocks.filter((b) => b.lang === 'js' && b.file).map((b) => [b.file!, b] as const))(
    'runs %s against the emulator',
    async (file, block) => {
      writeFileSync(join(PROJECT, file), swap(block.code))
      const envOfBlock = Object.fromEntries(Object.entries(block.env).map(([k, v]) => [k, swap(v)]))
      const result = await run(process.execPath, [join(PROJECT, file)], {
        cwd: ROOT,
        env: { ...env, ...envOfBlock },
      }).done
      expect(result.code, result.output).toBe(0)
      expect(result.output).toContain('got a token')
    },
  )
})
