#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so the emulator needs no build step after `npm ci`.
import { register } from 'tsx/esm/api'

register()
await import('../server/main.ts')
