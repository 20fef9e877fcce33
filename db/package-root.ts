import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The package's root folder, found from this file whether it runs from the TypeScript sources or
 * from the compiled `dist/`: data files (migrations, fixtures, package.json) are read from there.
 */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'db', 'migrations'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('power-automate-admin-emulator: cannot find the package root')
    dir = parent
  }
  return dir
}

export const PACKAGE_ROOT = findRoot()
