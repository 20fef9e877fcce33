import { createRequire } from 'node:module'

import type Forge from 'node-forge'

/**
 * node-forge, loaded on first use rather than at start: 0.6 MB of code, a fifth of what the
 * bundle would be, that only a new certificate or a legacy PFX needs, and most starts make
 * neither. Parsing the bundle is the largest single part of a start. It stays outside the bundle
 * (bin/bundle.js); Node's module cache makes every later call a lookup.
 */
const load = createRequire(import.meta.url)

export const loadForge = () => load('node-forge') as typeof Forge
