import { chmodSync, renameSync, writeFileSync } from 'node:fs'

/** Writes through a temporary file and a rename, so a crash never leaves half a file behind. */
export function writeAtomically(path: string, content: string, mode = 0o644): void {
  const temporary = `${path}.${process.pid}.tmp`
  writeFileSync(temporary, content, { mode })
  chmodSync(temporary, mode)
  renameSync(temporary, path)
}
