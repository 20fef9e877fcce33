// `npm run build` step: bundles the compiled server (dist/server/main.js) and its dependencies into
// one file, dist/emulator.mjs, which the bin runs. Loading ~1,000 small ES modules (TypeBox alone
// has 709) took most of the cold start; one file cuts it to about a third (issue 8).
// better-sqlite3 is native and pino writes through worker-capable streams: both stay external.
import { build } from 'esbuild'

await build({
  entryPoints: [new URL('../dist/server/main.js', import.meta.url).pathname],
  outfile: new URL('../dist/emulator.mjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['better-sqlite3', 'pino'],
  // CommonJS dependencies call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as __paaeCreateRequire } from 'node:module'; const require = __paaeCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
})
