import { randomBytes, randomUUID } from 'node:crypto'

/** Where the emulator draws the values it makes up: request ids, tenant ids, token ids, codes, fault draws. */
export interface RandomSource {
  uuid(): string
  /** `bytes` random bytes, base64url. */
  token(bytes: number): string
  /** A number in [0, 1). */
  fraction(): number
}

export const cryptoRandom: RandomSource = {
  uuid: () => randomUUID(),
  token: (bytes) => randomBytes(bytes).toString('base64url'),
  fraction: () => randomBytes(4).readUInt32BE(0) / 2 ** 32,
}

/**
 * `--seed <n>`: every value drawn from one seeded generator (sfc32), so a run repeats exactly.
 * Not cryptographic, and not meant to be: these are test identities.
 */
export function seededRandom(seed: number): RandomSource {
  let a = 0x9e3779b9
  let b = 0x243f6a88
  let c = 0xb7e15162
  let d = seed >>> 0
  const next = () => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return t >>> 0
  }
  for (let i = 0; i < 16; i++) next()
  return {
    uuid() {
      const b16 = Buffer.alloc(16)
      for (let i = 0; i < 16; i += 4) b16.writeUInt32BE(next(), i)
      b16[6] = (b16[6]! & 0x0f) | 0x40
      b16[8] = (b16[8]! & 0x3f) | 0x80
      const hex = b16.toString('hex')
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
    },
    token: (count) => {
      const out = Buffer.alloc(count)
      for (let i = 0; i < count; i++) out[i] = next() & 0xff
      return out.toString('base64url')
    },
    fraction: () => next() / 2 ** 32,
  }
}
