import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { Compile } from 'typebox/compile'
import { Clone, DecodeUnsafe } from 'typebox/value'

import { PACKAGE_ROOT } from '../db/package-root.ts'
import { FixtureDocument } from '../schemas/fixture.ts'
import { redirectUriProblem } from './auth/redirect-uri-rules.ts'
import { certificateOfPfx } from './tls/pfx.ts'

/** The demo tenant shipped with the emulator, loaded when no `--fixtures` is given. */
export const DEMO_FIXTURES_PATH = join(PACKAGE_ROOT, 'fixtures', 'demo-tenant.json')

export class FixtureError extends Error {
  override name = 'FixtureError'
}

const checker = Compile(FixtureDocument)

/** Reads and validates a fixture file; every problem names the file, the JSON path and what is wrong. */
export function loadFixtureFile(path: string): FixtureDocument {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new FixtureError(
      `Fixture file '${path}': cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    )
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new FixtureError(`Fixture file '${path}': not valid JSON (${(error as Error).message})`)
  }
  return validateFixtureDocument(parsed, `Fixture file '${path}'`)
}

/**
 * Validates a fixture document from any source (a file or a control-plane request) and answers it
 * decoded: a copy with every id in its normal spelling (`Id` in schemas/common.ts).
 */
export function validateFixtureDocument(value: unknown, source: string): FixtureDocument {
  if (!checker.Check(value)) {
    const problems = [...checker.Errors(value)]
      // TypeBox reports an `additionalProperties` failure twice; the per-property one names the field.
      .filter((e) => e.keyword !== 'additionalProperties')
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'}: ${problemOf(e)}`)
    throw new FixtureError(`${source}: ${problems.join('; ')}`)
  }
  // The check has passed: only the codecs are left to run, on a copy. The validator's Decode would
  // run TypeBox's whole pipeline (clone, defaults, conversion, cleaning, a second check), ten times
  // slower: 20 ms of every start for the demo tenant.
  const doc = DecodeUnsafe({}, FixtureDocument, Clone(value)) as FixtureDocument
  const problems = semanticProblems(doc)
  if (problems.length > 0) throw new FixtureError(`${source}: ${problems.slice(0, 5).join('; ')}`)
  return doc
}

/** A Running run has not ended; any other ended, not before it started. */
function runTimesProblem(run: { status: string; startTime: string; endTime?: string }): string | undefined {
  if (run.endTime === undefined) return undefined
  if (run.status === 'Running') return 'a Running run has no end time'
  if (Date.parse(run.endTime) < Date.parse(run.startTime)) return 'ends before its startTime'
  return undefined
}

/** A schema error in words; a value outside a list names the values the list allows. */
function problemOf(error: { keyword: string; message: string; params: object }): string {
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues
  return error.keyword === 'enum' && allowed
    ? `must be one of: ${allowed.map(String).join(', ')}`
    : error.message
}

/** Rules a JSON schema cannot say: uniqueness across the document and references between objects. */
function semanticProblems(doc: FixtureDocument): string[] {
  const problems: string[] = []
  const seen = new Map<string, string>()
  const unique = (kind: string, value: string, path: string, caseSensitive = false) => {
    const key = `${kind}:${caseSensitive ? value : value.toLowerCase()}`
    const first = seen.get(key)
    if (first) problems.push(`${path}: duplicate ${kind} '${value}' (first at ${first})`)
    else seen.set(key, path)
  }
  doc.tenants.forEach((tenant, t) => {
    const at = `/tenants/${t}`
    unique('tenant id', tenant.id, `${at}/id`)
    unique('tenant name', tenant.name, `${at}/name`)
    unique('domain', tenant.domain, `${at}/domain`)
    if (tenant.signingKey) {
      // Keys are looked up by kid, which is the certificate's thumbprint: two tenants cannot share one.
      const kid = certificateThumbprint(tenant.signingKey.certificatePem)
      if (kid === undefined) problems.push(`${at}/signingKey/certificatePem: not a PEM X.509 certificate`)
      else unique('signing key (certificate)', kid, `${at}/signingKey`)
    }
    tenant.connections?.forEach((c, i) => unique('connection id', c.id, `${at}/connections/${i}/id`, true))
    tenant.subscriptions?.forEach((s, i) =>
      unique('subscription id', s.subscriptionId, `${at}/subscriptions/${i}/subscriptionId`),
    )
    tenant.users.forEach((u, i) => {
      unique('object id', u.objectId, `${at}/users/${i}/objectId`)
      unique('user principal name', u.userPrincipalName, `${at}/users/${i}/userPrincipalName`)
    })
    tenant.groups.forEach((g, i) => unique('object id', g.objectId, `${at}/groups/${i}/objectId`))
    tenant.apps.forEach((a, i) => {
      unique(`client id in tenant ${tenant.id}`, a.clientId, `${at}/apps/${i}/clientId`)
      unique('object id', a.servicePrincipalId, `${at}/apps/${i}/servicePrincipalId`)
      a.redirectUris?.forEach((uri, j) => {
        const problem = redirectUriProblem(uri)
        if (problem) problems.push(`${at}/apps/${i}/redirectUris/${j}: ${problem}`)
      })
      a.certificates.forEach((c, j) => {
        const where = `${at}/apps/${i}/certificates/${j}`
        if ('certificatePem' in c) {
          if (!isCertificate(c.certificatePem)) problems.push(`${where}: not a PEM X.509 certificate`)
        } else {
          try {
            certificateOfPfx(Buffer.from(c.pfxBase64, 'base64'), c.password)
          } catch (error) {
            problems.push(`${where}: ${(error as Error).message}`)
          }
        }
      })
    })
    const defaults = tenant.environments.filter((e) => e.isDefault)
    if (defaults.length !== 1)
      problems.push(`${at}/environments: exactly one environment must be the default`)
    tenant.environments.forEach((env, e) => {
      const envAt = `${at}/environments/${e}`
      unique('environment name', env.name, `${envAt}/name`)
      if (env.isDefault && env.name.toLowerCase() !== `default-${tenant.id}`.toLowerCase()) {
        problems.push(`${envAt}/name: the default environment must be named 'Default-${tenant.id}'`)
      }
      env.flows.forEach((flow, f) => {
        const flowAt = `${envAt}/flows/${f}`
        unique(`flow name in ${env.name}`, flow.name, `${flowAt}/name`)
        const principals = new Set<string>([flow.creator.objectId])
        flow.permissions.forEach((p, i) => {
          const id = p.principalId
          if (principals.has(id)) {
            problems.push(
              `${flowAt}/permissions/${i}/principalId: '${p.principalId}' is listed twice (the creator is the Owner)`,
            )
          }
          principals.add(id)
        })
        flow.runs?.forEach((run, i) => {
          unique(`run name of flow ${flow.name}`, run.name, `${flowAt}/runs/${i}/name`)
          const problem = runTimesProblem(run)
          if (problem) problems.push(`${flowAt}/runs/${i}/endTime: ${problem}`)
        })
      })
      env.approvals.forEach((a, i) =>
        unique(`approval name in ${env.name}`, a.name, `${envAt}/approvals/${i}/name`),
      )
    })
    tenant.userDetails.forEach((d, i) =>
      unique(`user details of tenant ${tenant.id}`, d.objectId, `${at}/userDetails/${i}/objectId`),
    )
  })
  return problems
}

/** The SHA-1 thumbprint of a PEM certificate (the signing key's kid), or undefined when it is none. */
function certificateThumbprint(pem: string): string | undefined {
  try {
    return new X509Certificate(pem).fingerprint
  } catch {
    return undefined
  }
}

function isCertificate(pem: string): boolean {
  try {
    new X509Certificate(pem)
    return true
  } catch {
    return false
  }
}
