#!/usr/bin/env node
// Runs the compiled emulator (dist/, built by `npm ci` and `npm start`); without a build, the
// TypeScript sources through tsx.
import { existsSync } from 'node:fs'

const compiled = new URL('../dist/server/main.js', import.meta.url)
if (existsSync(compiled)) {
  await import(compiled.href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('../server/main.ts')
}
