#!/usr/bin/env node
// `npm start`: builds only when a source is newer than the build, then runs the emulator. A
// stat of the ~150 source files costs a few milliseconds; a build costs seconds.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
/** What the build reads: its output is stale when any of them changed after it. */
const SOURCES = [
  'server',
  'db',
  'schemas',
  'bin/bundle.js',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
]

/**
 * The latest modification time under `path` (0 when it does not exist).
 * @param {string} path
 * @returns {number}
 */
function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false })
  if (!stat) return 0
  if (!stat.isDirectory()) return stat.mtimeMs
  let latest = stat.mtimeMs
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)))
  return latest
}

const built = statSync(join(root, 'dist/emulator.mjs'), { throwIfNoEntry: false })?.mtimeMs ?? 0
if (SOURCES.some((source) => newest(join(root, source)) > built)) {
  console.error(
    'power-automate-admin-emulator: sources changed since the last build; building (npm run build)',
  )
  const result = spawnSync('npm', ['run', 'build', '--silent'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  })
  if (result.status !== 0) process.exit(result.status ?? 1)
}
await import('./power-automate-admin-emulator.js')
