import { createPrivateKey, X509Certificate } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import { ConfigError } from '../config.ts'
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
 * A CA the user brings (`--ca-cert`/`--ca-key`): it must be a CA certificate, valid now, and the
 * key must be its key; anything else is an error at start-up, not a TLS failure later.
 */
export function loadCaFromFiles(certificatePath: string, keyPath: string, now: Date): LocalCa {
  const certificatePem = readFileSync(certificatePath, 'utf8')
  const privateKeyPem = readFileSync(keyPath, 'utf8')
  let certificate: X509Certificate
  try {
    certificate = new X509Certificate(certificatePem)
  } catch {
    throw new ConfigError(`--ca-cert ${certificatePath} is not a PEM certificate`)
  }
  if (!certificate.ca)
    throw new ConfigError(`--ca-cert ${certificatePath} is not a CA certificate (basicConstraints CA:TRUE)`)
  if (new Date(certificate.validTo) <= now || new Date(certificate.validFrom) > now)
    throw new ConfigError(
      `--ca-cert ${certificatePath} is not valid now (${certificate.validFrom} to ${certificate.validTo})`,
    )
  let matches = false
  try {
    matches = certificate.checkPrivateKey(createPrivateKey(privateKeyPem))
  } catch {
    throw new ConfigError(`--ca-key ${keyPath} is not a PEM private key`)
  }
  if (!matches) throw new ConfigError(`--ca-key ${keyPath} is not the key of --ca-cert ${certificatePath}`)
  return { certificatePem, privateKeyPem, certificatePath }
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
  mkdirSync(join(dataDir, 'ca'), { recursive: true })
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
