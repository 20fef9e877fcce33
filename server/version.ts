import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { PACKAGE_ROOT } from '../db/package-root.ts'

/** The package version, read once from package.json. */
export const version = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version
