import { randomBytes, randomUUID } from 'node:crypto'

/** Where the emulator draws the values it makes up (request ids, token ids). */
export interface RandomSource {
  uuid(): string
  /** `bytes` random bytes, base64url. */
  token(bytes: number): string
}

export const cryptoRandom: RandomSource = {
  uuid: () => randomUUID(),
  token: (bytes) => randomBytes(bytes).toString('base64url'),
}
