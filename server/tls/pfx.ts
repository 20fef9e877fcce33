import { createHash, X509Certificate } from 'node:crypto'
import { Socket } from 'node:net'
import { createSecureContext, TLSSocket } from 'node:tls'

import type Forge from 'node-forge'

import { boundedMemo } from './bounded-memo.ts'
import { loadForge } from './forge.ts'

const remembered = boundedMemo<string>(100)

/**
 * The certificate (PEM) of a PKCS#12 (PFX) file, as the connector's certificate form takes it: the
 * file must open with the password and hold a certificate with its private key. The same few files
 * are read at every seed and reset, so results are remembered by content and password.
 */
export function certificateOfPfx(pfx: Buffer, password: string): string {
  const key = createHash('sha256').update(pfx).update('\0').update(password).digest('base64')
  return remembered(key, () => openSslCertificate(pfx, password) ?? forgeCertificate(pfx, password))
}

/**
 * OpenSSL reads the file as Node's TLS would serve it: a wrong password, a file without a private
 * key or anything else it refuses throws, and the certificate is the one that goes with the key.
 * It is much faster than node-forge's JavaScript ciphers, and the demo tenant's certificate
 * connection is read at every start. OpenSSL 3 no longer reads the legacy ciphers (RC2, RC4) of
 * older exports, so undefined for any refusal: node-forge then decides.
 */
function openSslCertificate(pfx: Buffer, password: string): string | undefined {
  let socket: TLSSocket | undefined
  try {
    // Never connected: the socket only holds the context, which has the certificate as it serves it.
    socket = new TLSSocket(new Socket(), {
      secureContext: createSecureContext({ pfx, passphrase: password }),
      isServer: true,
    })
    const certificate = socket.getCertificate()
    return certificate && 'raw' in certificate ? new X509Certificate(certificate.raw).toString() : undefined
  } catch {
    return undefined
  } finally {
    socket?.destroy()
  }
}

/**
 * node-forge, as it ships, reads the legacy exports OpenSSL 3 refuses. It is slow (its key
 * derivation and ciphers run in JavaScript), but only such files pay for it, and a user's old
 * export keeps working without a conversion step.
 */
function forgeCertificate(pfx: Buffer, password: string): string {
  const forge = loadForge()
  let p12: Forge.pkcs12.Pkcs12Pfx
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(
      forge.asn1.fromDer(forge.util.createBuffer(pfx.toString('binary'))),
      password,
    )
  } catch (error) {
    throw new Error(`not a PFX file, or the password is wrong (${(error as Error).message})`)
  }
  const certBag = forge.pki.oids['certBag']!
  const keyBag = forge.pki.oids['pkcs8ShroudedKeyBag']!
  const cert = p12.getBags({ bagType: certBag })[certBag]?.[0]?.cert
  const key = p12.getBags({ bagType: keyBag })[keyBag]?.[0]?.key
  if (!cert || !key) throw new Error('the PFX file must hold a certificate and its private key')
  // As X509Certificate writes it: forge ends lines with CRLF.
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n')
}
