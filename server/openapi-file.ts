import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { parse } from 'yaml'

import { buildApp } from './app.ts'
import { fixedClock } from './clock.ts'
import { openApiYaml } from './plugins/swagger.ts'

/** openapi.yaml at the repository root, generated from the route schemas. */
export const OPENAPI_PATH = fileURLToPath(new URL('../openapi.yaml', import.meta.url))

/** The OpenAPI document as YAML, built from the same app that serves requests. */
export async function generateOpenApiYaml(): Promise<string> {
  const app = await buildApp({
    db: ':memory:',
    seed: false,
    logLevel: 'silent',
    clock: fixedClock('2026-01-01T00:00:00Z'),
  })
  try {
    await app.ready()
    return openApiYaml(app)
  } finally {
    await app.close()
  }
}

// `npm run openapi` writes the file; `npm run openapi:check` fails when it is stale.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const yaml = await generateOpenApiYaml()
  if (process.argv.includes('--check')) {
    const current = readFileSync(OPENAPI_PATH, 'utf8')
    if (current !== yaml) {
      console.error('openapi.yaml is stale: run `npm run openapi` and commit the result.')
      process.exit(1)
    }
    // An OpenAPI 3.1 validator (a dev dependency: only this check needs it).
    const { default: SwaggerParser } = await import('@apidevtools/swagger-parser')
    try {
      await SwaggerParser.validate(parse(current, { version: '1.1' }) as never)
    } catch (error) {
      console.error(`openapi.yaml is not a valid OpenAPI 3.1 document: ${(error as Error).message}`)
      process.exit(1)
    }
    console.log('openapi.yaml is up to date and valid OpenAPI 3.1.')
  } else {
    writeFileSync(OPENAPI_PATH, yaml)
    console.log(`Wrote ${OPENAPI_PATH}`)
  }
}
