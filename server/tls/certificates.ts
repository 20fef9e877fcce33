import { createHash, generateKeyPair, generateKeyPairSync, X509Certificate } from 'node:crypto'
import { isIP } from 'node:net'

import { boundedMemo } from './bounded-memo.ts'
import { loadForge } from './forge.ts'

/**
 * X.509 certificates for the emulator's own needs: token-signing certificates, its local CA and
 * the leaf certificates that CA issues for HTTPS. Keys come from Node's crypto (fast, native);
 * node-forge only builds and signs the certificate structure, which Node cannot do.
 */

export interface KeyAndCertificate {
  /** PKCS#8 PEM. */
  privateKeyPem: string
  certificatePem: string
}

const DAY_MS = 24 * 3600 * 1000

export interface RsaKeyPems {
  privateKeyPem: string
  publicKeyPem: string
}

/** A new RSA-2048 key pair off the main thread (libuv's pool), so generating one blocks no request. */
export function newRsaKeyPemAsync(): Promise<RsaKeyPems> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      },
      (error, publicKeyPem, privateKeyPem) =>
        error ? reject(error) : resolve({ publicKeyPem, privateKeyPem }),
    )
  })
}

export function newRsaKeyPem(): RsaKeyPems {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  }
}

interface CertificateRequest {
  commonName: string
  notBefore: Date
  validDays: number
  /** Issuer; a self-signed certificate when absent. */
  issuer?: KeyAndCertificate
  isCa?: boolean
  /** Subject alternative names: host names and IP addresses. */
  hosts?: string[]
}

/** A certificate for `key` (a new key when absent), signed by `issuer` or by itself. */
export function createCertificate(
  request: CertificateRequest,
  key: RsaKeyPems = newRsaKeyPem(),
): KeyAndCertificate {
  const { privateKeyPem, publicKeyPem } = key
  const forge = loadForge()
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem)
  // A positive serial (leading 01), unique per key.
  cert.serialNumber = '01' + createHash('sha256').update(publicKeyPem).digest('hex').slice(0, 30)
  // Backdated by a day so a client whose clock is slightly behind still accepts it.
  cert.validity.notBefore = new Date(request.notBefore.getTime() - DAY_MS)
  cert.validity.notAfter = new Date(request.notBefore.getTime() + request.validDays * DAY_MS)
  const subject = [{ name: 'commonName', value: request.commonName }]
  cert.setSubject(subject)
  cert.setIssuer(
    request.issuer ? forge.pki.certificateFromPem(request.issuer.certificatePem).subject.attributes : subject,
  )
  const extensions: object[] = [{ name: 'subjectKeyIdentifier' }]
  if (request.isCa) {
    extensions.push({ name: 'basicConstraints', cA: true, critical: true })
    extensions.push({
      name: 'keyUsage',
      keyCertSign: true,
      cRLSign: true,
      digitalSignature: true,
      critical: true,
    })
  } else {
    extensions.push({ name: 'basicConstraints', cA: false })
    extensions.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true })
  }
  if (request.hosts?.length) {
    extensions.push({ name: 'extKeyUsage', serverAuth: true })
    extensions.push({
      name: 'subjectAltName',
      altNames: request.hosts.map((host) => (isIP(host) ? { type: 7, ip: host } : { type: 2, value: host })),
    })
  }
  if (request.issuer) {
    const issuerCert = forge.pki.certificateFromPem(request.issuer.certificatePem)
    extensions.push({
      name: 'authorityKeyIdentifier',
      keyIdentifier: issuerCert.generateSubjectKeyIdentifier().getBytes(),
    })
  }
  cert.setExtensions(extensions)
  const signer = forge.pki.privateKeyFromPem(request.issuer?.privateKeyPem ?? privateKeyPem)
  cert.sign(signer, forge.md.sha256.create())
  return { privateKeyPem, certificatePem: forge.pki.certificateToPem(cert) }
}

const thumbprints = boundedMemo<string>(1000)

/**
 * base64url SHA-1 of the DER certificate: Entra's `x5t` and `kid`. Remembered by PEM: every seed
 * and reset asks again for the same few certificates, and parsing one is most of the cost.
 */
export function sha1Thumbprint(certificatePem: string): string {
  return thumbprints(certificatePem, () =>
    createHash('sha1').update(new X509Certificate(certificatePem).raw).digest('base64url'),
  )
}

/** base64url SHA-256 of the DER certificate: `x5t#S256`. */
export function sha256Thumbprint(certificatePem: string): string {
  return createHash('sha256').update(new X509Certificate(certificatePem).raw).digest('base64url')
}
