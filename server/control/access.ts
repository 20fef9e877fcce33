import { createHash, timingSafeEqual } from 'node:crypto'

import type { FastifyInstance, FastifyRequest } from 'fastify'

import { errors } from '../errors.ts'
import { isLoopbackAddress } from './loopback.ts'

const digest = (value: string) => createHash('sha256').update(value).digest()

/**
 * onRequest hook of the control plane: loopback clients only, unless `--control-key` is set;
 * then every call must send it in `x-emulator-key`, compared in constant time (on digests, so
 * not even the key's length leaks).
 */
export async function requireControlAccess(this: FastifyInstance, request: FastifyRequest): Promise<void> {
  const key = this.emulator.controlKey
  if (key === undefined) {
    if (!isLoopbackAddress(request.socket.remoteAddress)) {
      throw errors.controlPlaneForbidden()
    }
    return
  }
  const sent = request.headers['x-emulator-key']
  if (typeof sent !== 'string' || !timingSafeEqual(digest(sent), digest(key))) {
    throw errors.controlKeyRequired()
  }
}
