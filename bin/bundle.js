// `npm run build` step: bundles the compiled server (dist/server/main.js) and its dependencies into
// one file, dist/emulator.mjs, which the bin runs: loading a thousand small ES modules one by one
// (TypeBox alone is hundreds) is most of a cold start, and one file is loaded at once.
// better-sqlite3 is native and pino writes through worker-capable streams: both stay external.
// node-forge is not bundled either: server/tls/forge.ts requires it at its first use.
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
  // Whitespace and syntax minified, names kept: parsing this file is the largest single part of a
  // cold start, and minified it is a third smaller, while a stack trace still names each function.
  // The source map beside it gives file and line under --enable-source-maps.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  logLevel: 'warning',
})
