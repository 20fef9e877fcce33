import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'

import { decodeJwt, SignJWT, type JWTPayload } from 'jose'

import { sha1Thumbprint } from '../../server/tls/certificates.ts'
import type { FixtureDocument } from '../../schemas/fixture.ts'

const demo = JSON.parse(
  readFileSync(new URL('../../fixtures/demo-tenant.json', import.meta.url), 'utf8'),
) as FixtureDocument

/** The demo tenants' test-only signing keys, to forge tokens the way an attacker or a buggy client would. */
export function demoSigningKey(tenantName: 'contoso' | 'fabrikam'): { key: KeyObject; kid: string } {
  const tenant = demo.tenants.find((t) => t.name === tenantName)!
  return {
    key: createPrivateKey(tenant.signingKey!.privateKeyPem),
    kid: sha1Thumbprint(tenant.signingKey!.certificatePem),
  }
}

export function sign(
  payload: JWTPayload,
  key: KeyObject | Uint8Array,
  header: { alg: string; kid?: string; [k: string]: unknown },
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ typ: 'JWT', ...header }).sign(key)
}

/** A token with the same claims as `token`, signed again by the given key (claims changed by `edit`). */
export function resign(
  token: string,
  edit: (claims: JWTPayload) => JWTPayload,
  signer: { key: KeyObject | Uint8Array; header: { alg: string; kid?: string } },
): Promise<string> {
  return sign(edit(decodeJwt(token)), signer.key, signer.header)
}

export function unsignedToken(payload: JWTPayload): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`
}

export function strangerKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
}

/** A token from a listening emulator's control plane (`POST /_emulator/tokens`), as a client over HTTP gets one. */
export async function mintOverHttp(base: string, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${base}/_emulator/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (res.status !== 200)
    throw new Error(`POST /_emulator/tokens answered ${res.status}: ${await res.text()}`)
  return ((await res.json()) as { access_token: string }).access_token
}
