import { X509Certificate } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import { writeAtomically } from '../files.ts'
import { createCertificate, type KeyAndCertificate } from './certificates.ts'

/**
 * The emulator's local certificate authority. Generated on first start in `<data-dir>/ca/` and
 * reused, so users trust one file (NODE_EXTRA_CA_CERTS) once; the HTTPS listener's certificate
 * (and later the proxy's) is issued by it.
 */

export interface LocalCa extends KeyAndCertificate {
  /** Absolute path of the CA certificate, for NODE_EXTRA_CA_CERTS. */
  certificatePath: string
}

export const LOCALHOST_NAMES = ['localhost', '127.0.0.1', '::1']

export function loadOrCreateCa(dataDir: string, now: Date): LocalCa {
  const dir = join(dataDir, 'ca')
  const certificatePath = join(dir, 'ca.pem')
  const keyPath = join(dir, 'ca-key.pem')
  if (existsSync(certificatePath) && existsSync(keyPath)) {
    const certificatePem = readFileSync(certificatePath, 'utf8')
    const privateKeyPem = readFileSync(keyPath, 'utf8')
    const certificate = new X509Certificate(certificatePem)
    if (new Date(certificate.validTo) > now) return { certificatePem, privateKeyPem, certificatePath }
  }
  mkdirSync(dir, { recursive: true })
  const ca = createCertificate({
    commonName: 'power-automate-admin-emulator local CA (TEST ONLY)',
    notBefore: now,
    validDays: 10 * 365,
    isCa: true,
  })
  writeAtomically(keyPath, ca.privateKeyPem, 0o600)
  writeAtomically(certificatePath, ca.certificatePem, 0o644)
  return { ...ca, certificatePath }
}

/**
 * The certificate for `localhost`, `127.0.0.1` and `::1`, issued by the CA; cached beside it and
 * issued again only when the CA changed or it is about to expire.
 */
export function loadOrCreateLocalhostCertificate(dataDir: string, ca: LocalCa, now: Date): KeyAndCertificate {
  const certificatePath = join(dataDir, 'ca', 'localhost.pem')
  const keyPath = join(dataDir, 'ca', 'localhost-key.pem')
  if (existsSync(certificatePath) && existsSync(keyPath)) {
    const certificatePem = readFileSync(certificatePath, 'utf8')
    const certificate = new X509Certificate(certificatePem)
    const stillValid = new Date(certificate.validTo).getTime() > now.getTime() + 7 * 24 * 3600 * 1000
    if (stillValid && certificate.verify(new X509Certificate(ca.certificatePem).publicKey)) {
      return { certificatePem, privateKeyPem: readFileSync(keyPath, 'utf8') }
    }
  }
  const leaf = createCertificate({
    commonName: 'localhost',
    notBefore: now,
    validDays: 365,
    issuer: ca,
    hosts: LOCALHOST_NAMES,
  })
  writeAtomically(keyPath, leaf.privateKeyPem, 0o600)
  writeAtomically(certificatePath, leaf.certificatePem, 0o644)
  return leaf
}
