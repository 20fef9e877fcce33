import * as crypto from 'node:crypto'

import forge from 'node-forge'

/** Hashes Node computes natively, with their block sizes in bytes (the KDF's `v`). */
const BLOCK_BYTES: Record<string, number> = { md5: 64, sha1: 64, sha256: 64, sha384: 128, sha512: 128 }

/**
 * One digest: `crypto.hash` (Node 20.12 and later) makes no Hash object, which halves the 2048
 * rounds of a key (~4 -> ~2 ms); older Node 20 releases lack it.
 */
const digest: (hash: string, data: Buffer) => Buffer =
  typeof crypto.hash === 'function'
    ? (hash, data) => crypto.hash(hash, data, 'buffer')
    : (hash, data) => crypto.createHash(hash).update(data).digest()

/**
 * The PKCS#12 key derivation (RFC 7292 appendix B.2) on node:crypto's hashes. node-forge runs its
 * 2048 iterations in JavaScript SHA-1, about 15 ms per key, and reading a PFX takes three keys
 * (issue 8). Since OpenSSL reads most PFX files (pfx.ts), this serves the ones only forge can read,
 * the legacy RC2 exports. Same inputs, same bytes as forge's (a test compares them).
 */
export function pkcs12Key(
  password: string | null | undefined,
  salt: Buffer,
  id: number,
  iterations: number,
  length: number,
  hash = 'sha1',
): Buffer {
  if (!(iterations >= 1)) throw new Error('PKCS#12 key derivation iteration count must be >= 1.')
  const v = BLOCK_BYTES[hash]
  if (v === undefined) throw new Error(`no native ${hash} for PKCS#12 key derivation`)
  // The password as a BMPString: UTF-16 big-endian code units and a terminating zero (none if absent).
  const pass = Buffer.alloc(password === null || password === undefined ? 0 : (password.length + 1) * 2)
  for (let i = 0; password && i < password.length; i++) pass.writeUInt16BE(password.charCodeAt(i), i * 2)
  const repeat = (source: Buffer) => {
    const out = Buffer.alloc(v * Math.ceil(source.length / v))
    for (let i = 0; i < out.length; i++) out[i] = source[i % source.length]!
    return out
  }
  const I = Buffer.concat([repeat(salt), repeat(pass)])
  const D = Buffer.alloc(v, id)
  const blocks: Buffer[] = []
  let produced = 0
  while (produced < length) {
    let A = digest(hash, Buffer.concat([D, I]))
    for (let round = 1; round < iterations; round++) A = digest(hash, A)
    blocks.push(A)
    produced += A.length
    // I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block of I, B being A repeated to v bytes.
    for (let j = 0; j < I.length; j += v) {
      let carry = 1
      for (let l = v - 1; l >= 0; l--) {
        const sum = I[j + l]! + A[l % A.length]! + carry
        I[j + l] = sum & 0xff
        carry = sum >> 8
      }
    }
  }
  return Buffer.concat(blocks).subarray(0, length)
}

/** forge's PKCS#12 KDF (lib/pbe.js), which @types/node-forge does not declare. */
type ForgeKdf = (
  password: string | null | undefined,
  salt: forge.util.ByteStringBuffer | string,
  id: number,
  iter: number,
  n: number,
  md?: { algorithm: string } | null,
) => forge.util.ByteStringBuffer
const pbe = (forge.pki as unknown as { pbe: { generatePkcs12Key: ForgeKdf } }).pbe
const p12 = forge.pkcs12 as unknown as { generateKey: ForgeKdf }
const forgeKdf = pbe.generatePkcs12Key

/** forge's own derivation, kept for the test that compares the two. */
export const forgePkcs12Key = forgeKdf

/** Whether both of forge's entry points now derive natively (a test checks it). */
export const nativeKdfInstalled = () =>
  pbe.generatePkcs12Key !== forgeKdf && p12.generateKey === pbe.generatePkcs12Key

/** Makes node-forge derive PKCS#12 keys natively; a hash Node has no name for stays with forge. */
export function useNativePkcs12Kdf(): void {
  const native: ForgeKdf = (password, salt, id, iter, n, md) => {
    const hash = md?.algorithm ?? 'sha1'
    if (BLOCK_BYTES[hash] === undefined) return forgeKdf(password, salt, id, iter, n, md)
    const saltBytes = typeof salt === 'string' ? salt : salt.bytes()
    const key = pkcs12Key(password, Buffer.from(saltBytes, 'binary'), id, iter, n, hash)
    return forge.util.createBuffer(key.toString('binary'))
  }
  // Bag decryption calls it through pki.pbe; the MAC check through its own copy, taken at load.
  pbe.generatePkcs12Key = native
  p12.generateKey = native
}
