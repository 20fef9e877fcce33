import type { FastifyRequest } from 'fastify'

import { errors } from '../errors.ts'

/** 127.0.0.0/8, ::1 and their IPv4-mapped IPv6 forms. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address
  return v4.startsWith('127.') || address === '::1'
}

/** onRequest hook: the control plane answers loopback clients only. */
export async function requireLoopback(request: FastifyRequest): Promise<void> {
  if (!isLoopbackAddress(request.socket.remoteAddress)) throw errors.controlPlaneForbidden()
}
