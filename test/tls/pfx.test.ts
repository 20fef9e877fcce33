import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createSecureContext } from 'node:tls'

import forge from 'node-forge'
import { describe, expect, it } from 'vitest'

import { certificateOfPfx } from '../../server/tls/pfx.ts'

const DEMO_PFX = readFileSync('fixtures/certs/contoso-automation.pfx')
const DEMO_PEM = readFileSync('fixtures/certs/contoso-automation.pem', 'utf8')
/** The demo certificate and key exported by `openssl pkcs12 -export -legacy` (RC2-40), password `legacy`. */
const LEGACY_PFX = readFileSync(new URL('./contoso-automation-rc2.pfx', import.meta.url))
const demoCertificate = new X509Certificate(DEMO_PEM)

describe('reading the certificate of a PFX (OpenSSL first, node-forge for what it refuses)', () => {
  it('reads the demo PFX (3DES) to the certificate of its PEM twin, as PEM with LF line ends', () => {
    const pem = certificateOfPfx(DEMO_PFX, 'emulator')
    expect(new X509Certificate(pem).fingerprint256).toBe(demoCertificate.fingerprint256)
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/)
  })

  it('reads a legacy RC2 PFX, which OpenSSL 3 refuses, to the same certificate and the same text', () => {
    expect(() => createSecureContext({ pfx: LEGACY_PFX, passphrase: 'legacy' })).toThrow()
    expect(certificateOfPfx(LEGACY_PFX, 'legacy')).toBe(certificateOfPfx(DEMO_PFX, 'emulator'))
  })

  it('refuses a wrong password, on either path', () => {
    expect(() => certificateOfPfx(DEMO_PFX, 'wrong')).toThrow(/not a PFX file, or the password is wrong/)
    expect(() => certificateOfPfx(LEGACY_PFX, 'wrong')).toThrow(/not a PFX file, or the password is wrong/)
  })

  it('refuses a PFX with a certificate but no private key, and bytes that are no PFX', () => {
    const certOnly = forge.asn1
      .toDer(
        forge.pkcs12.toPkcs12Asn1(null, forge.pki.certificateFromPem(DEMO_PEM), 'x', { algorithm: '3des' }),
      )
      .getBytes()
    expect(() => certificateOfPfx(Buffer.from(certOnly, 'binary'), 'x')).toThrow(
      /must hold a certificate and its private key/,
    )
    expect(() => certificateOfPfx(Buffer.from('not a pfx'), 'x')).toThrow(/not a PFX file/)
  })
})
