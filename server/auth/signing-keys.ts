import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  X509Certificate,
  type KeyObject,
} from 'node:crypto'

import forge from 'node-forge'

import type { SigningKeyFixture } from '../../schemas/fixture.ts'

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

export function sha1Thumbprint(certificatePem: string): string {
  const der = new X509Certificate(certificatePem).raw
  return createHash('sha1').update(der).digest('base64url')
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
 * tenant when it is created, never per request (about 50 ms, mostly the key generation).
 */
export function generateSigningKeyPems(subject: string, notBefore: Date): SigningKeyFixture {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString())
  cert.serialNumber = '01' + createHash('sha256').update(privateKeyPem).digest('hex').slice(0, 30)
  cert.validity.notBefore = notBefore
  cert.validity.notAfter = new Date(notBefore.getTime() + 20 * 365 * 24 * 3600 * 1000)
  const attrs = [{ name: 'commonName', value: `${subject} token signing (TEST ONLY)` }]
  cert.setSubject(attrs)
  cert.setIssuer(attrs)
  cert.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create())
  return { privateKeyPem, certificatePem: forge.pki.certificateToPem(cert) }
}
