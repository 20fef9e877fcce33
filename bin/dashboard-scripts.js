// `npm run build` step: compiles the dashboard's scripts (server/dashboard/client/*.ts) to
// dist/dashboard/*.js, one module per source file, as the page loads them. tsc only typechecks the
// client (`npm run typecheck`): its types come from schemas/control.ts through `import type`, a
// file outside the client folder that tsc would emit too. esbuild drops type-only imports, and
// any other import that is not a sibling module fails the build, so no server code (nor TypeBox)
// can reach the browser.
import { mkdirSync, readdirSync, rmSync } from 'node:fs'

import { build } from 'esbuild'

const source = new URL('../server/dashboard/client/', import.meta.url).pathname
const outdir = new URL('../dist/dashboard/', import.meta.url).pathname
const SIBLING = /^\.\/[a-z0-9-]+\.ts$/

// A module whose source is gone must not stay servable.
mkdirSync(outdir, { recursive: true })
for (const name of readdirSync(outdir, { withFileTypes: true }).filter((e) => e.isFile()))
  if (/\.js$|\.tsbuildinfo$/.test(name.name)) rmSync(outdir + name.name)

await build({
  entryPoints: readdirSync(source)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => source + name),
  outdir,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  tsconfig: source + 'tsconfig.json',
  logLevel: 'warning',
  plugins: [
    {
      name: 'sibling-modules',
      setup(build) {
        build.onResolve({ filter: /.*/ }, (args) => {
          if (args.kind === 'entry-point') return undefined
          if (!SIBLING.test(args.path))
            return { errors: [{ text: `the dashboard may import only its own modules, not ${args.path}` }] }
          return { path: args.path.replace(/\.ts$/, '.js'), external: true }
        })
      },
    },
  ],
})
