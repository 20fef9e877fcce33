import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import { PACKAGE_ROOT } from '../../db/package-root.ts'

/** The page and its stylesheet are served from the sources; the scripts (tsc) and the design tokens from the build. */
const SOURCE_DIR = join(PACKAGE_ROOT, 'server', 'dashboard', 'client')
export const SCRIPTS_DIR = join(PACKAGE_ROOT, 'dist', 'dashboard')

export interface Asset {
  body: Buffer
  contentType: string
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
}

/**
 * The dashboard's files, read once on first use (never at start-up: the API's cold start does
 * not pay for the dashboard). Only files that exist at that moment can be served: no path from a
 * request ever reaches the file system.
 */
export function createAssetStore() {
  let assets: Map<string, Asset> | undefined
  const load = (): Map<string, Asset> => {
    const map = new Map<string, Asset>()
    const add = (dir: string, name: string) => {
      const ext = name.slice(name.lastIndexOf('.'))
      const contentType = CONTENT_TYPES[ext]
      if (contentType) map.set(name, { body: readFileSync(join(dir, name)), contentType })
    }
    for (const name of ['index.html', 'style.css']) add(SOURCE_DIR, name)
    if (existsSync(SCRIPTS_DIR)) {
      for (const name of readdirSync(SCRIPTS_DIR)) if (/\.(js|css)$/.test(name)) add(SCRIPTS_DIR, name)
    }
    return map
  }
  return {
    /** `undefined` when no such file exists. */
    get(name: string): Asset | undefined {
      assets ??= load()
      return assets.get(name)
    },
    /** True once the scripts are built. */
    built(): boolean {
      assets ??= load()
      return assets.has('main.js')
    },
  }
}
