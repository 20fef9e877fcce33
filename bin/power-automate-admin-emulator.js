#!/usr/bin/env node
// Runs the emulator as built by `npm ci` and `npm start`: the one-file bundle (dist/emulator.mjs,
// fastest to start), else the compiled modules (dist/server), else the TypeScript sources via tsx.
import { existsSync } from 'node:fs'

const bundle = new URL('../dist/emulator.mjs', import.meta.url)
const compiled = new URL('../dist/server/main.js', import.meta.url)
if (existsSync(bundle)) {
  await import(bundle.href)
} else if (existsSync(compiled)) {
  await import(compiled.href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('../server/main.ts')
}
