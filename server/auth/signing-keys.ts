import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto'

import type { SigningKeyFixture } from '../../schemas/fixture.ts'
import { createCertificate, type RsaKeyPems } from '../tls/certificates.ts'

/**
 * Tenant signing keys, as Entra publishes them: an RSA key with a self-signed certificate, whose
 * `kid` equals `x5t`, the base64url SHA-1 thumbprint of the certificate (entra.md §3.3).
 */

export interface SigningKey {
  tenantId: string
  kid: string
  privateKey: KeyObject
  publicKey: KeyObject
  /** base64 DER of the certificate, for `x5c` in JWKS. */
  certificateDer: string
}

/** Parses stored PEMs into usable keys; throws with a clear message on a key that does not match its certificate. */
export function loadSigningKey(tenantId: string, pems: SigningKeyFixture): SigningKey {
  const certificate = new X509Certificate(pems.certificatePem)
  const privateKey = createPrivateKey(pems.privateKeyPem)
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new Error(`The signing key of tenant ${tenantId} does not match its certificate`)
  }
  if (privateKey.asymmetricKeyType !== 'rsa')
    throw new Error(`The signing key of tenant ${tenantId} must be RSA`)
  return {
    tenantId,
    kid: createHash('sha1').update(certificate.raw).digest('base64url'),
    privateKey,
    publicKey: certificate.publicKey,
    certificateDer: certificate.raw.toString('base64'),
  }
}

/**
 * A new RSA-2048 key and a self-signed certificate for a tenant that brings none. Called once per
 * tenant when it is created, never per request (about 100 to 300 ms, mostly the key generation).
 */
export function generateSigningKeyPems(
  subject: string,
  notBefore: Date,
  key?: RsaKeyPems,
): SigningKeyFixture {
  return createCertificate(
    { commonName: `${subject} token signing (TEST ONLY)`, notBefore, validDays: 20 * 365 },
    key,
  )
}
