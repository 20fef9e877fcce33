import { accessSync, constants, mkdirSync, statSync } from 'node:fs'

import { messageOf, StartupError, systemCode } from './startup-error.ts'

/**
 * Creates `--data-dir` if needed and checks that the emulator can write there, so a typo or a
 * read-only mount stops the start with the path rather than failing deep in SQLite or the CA.
 */
export function prepareDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true })
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'EEXIST' })
    accessSync(dir, constants.W_OK)
  } catch (error) {
    const code = systemCode(error)
    const why =
      code === 'EEXIST'
        ? 'it is a file, not a folder'
        : code === 'ENOTDIR'
          ? 'a part of the path is a file, not a folder'
          : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
            ? 'this user cannot write there'
            : messageOf(error)
    throw new StartupError(`--data-dir '${dir}' cannot be used: ${why}`, { cause: error })
  }
}
