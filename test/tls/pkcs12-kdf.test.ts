import fc from 'fast-check'
import forge from 'node-forge'
import { describe, expect, it } from 'vitest'

import '../../server/tls/pfx.ts'
import { forgePkcs12Key, nativeKdfInstalled, pkcs12Key } from '../../server/tls/pkcs12-kdf.ts'

const asBytes = (b: forge.util.ByteStringBuffer) => Buffer.from(b.bytes(), 'binary')

describe('the native PKCS#12 key derivation (issue 8)', () => {
  it('gives the same bytes as node-forge for any password, salt, id, count, length and hash', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string({ unit: 'binary', maxLength: 40 }), { nil: undefined }),
        fc.uint8Array({ maxLength: 70 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 100 }),
        fc.constantFrom('sha1', 'sha256', 'sha512'),
        (password, salt, id, iterations, length, hash) => {
          const md = forge.md[hash].create()
          const theirs = forgePkcs12Key(
            password,
            forge.util.createBuffer(Buffer.from(salt).toString('binary')),
            id,
            iterations,
            length,
            md,
          )
          expect(pkcs12Key(password, Buffer.from(salt), id, iterations, length, hash).toString('hex')).toBe(
            asBytes(theirs).toString('hex'),
          )
        },
      ),
      { numRuns: 300 },
    )
  })

  it('is what node-forge calls, for the bags and for the MAC check, once pfx.ts is loaded', () => {
    expect(nativeKdfInstalled()).toBe(true)
  })

  it('refuses a count below one, as forge does', () => {
    expect(() => pkcs12Key('x', Buffer.alloc(8), 1, 0, 24)).toThrow(/iteration count/)
  })
})
